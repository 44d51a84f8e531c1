#!/usr/bin/env python3
"""Compare `genre features` output with the public GTZAN feature tables.

Runs the (release) CLI on every WAV of the given genres, joins its rows with the public table
by filename, and prints per-column median and worst relative error, the worst absolute error in
units of the column's standard deviation (over the compared rows of the table), and how many
tempo values match exactly. Markdown output, for Docs/feature-parity.md.

    swift build -c release --product genre
    python3 Scripts/table_parity.py --audio /work/gtzan-audio/archive/Data/genres_original \
        --genres classical jazz rock --three-second-tracks 12

Needs numpy only. Audio is read by the CLI; nothing is written into the repository.
"""
import argparse, csv, glob, os, subprocess, sys, tempfile
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TABLES = os.path.join(ROOT, '..', 'shared', 'data', 'gtzan', 'tables')


def read_table(path):
    with open(path, newline='') as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    return header, {r[0]: r for r in body}


def run_cli(cli, files, extra):
    out = tempfile.NamedTemporaryFile(suffix='.csv', delete=False).name
    proc = subprocess.run([cli, 'features', *extra, '-o', out, *files], capture_output=True, text=True)
    if proc.stderr:
        sys.stderr.write(proc.stderr)
    return read_table(out), proc.returncode


def compare(ours, theirs, title):
    oh, orows = ours
    th, trows = theirs
    names = sorted(set(orows) & set(trows))
    columns = [c for c in th if c not in ('filename', 'label')]
    lines = [f'### {title}', '', f'{len(names)} rows compared.', '',
             '| column | median rel. error | worst rel. error | worst |Δ| / column std |',
             '|---|---|---|---|']
    summary = {}
    for c in columns:
        a = np.array([float(orows[n][oh.index(c)]) for n in names])
        b = np.array([float(trows[n][th.index(c)]) for n in names])
        rel = np.abs(a - b) / np.maximum(np.abs(b), 1e-30)
        std = np.std(b)
        in_std = np.max(np.abs(a - b)) / std if std > 0 else 0.0
        summary[c] = (np.median(rel), np.max(rel), in_std)
        if c == 'tempo':
            # Our matrix stores float32: a tempo like 117.45383... is rounded to float32, so the
            # same autocorrelation lag shows as a relative difference below 1e-7.
            same = int(np.sum(rel < 1e-6))
            lines.append(f'| tempo | {np.median(rel):.1e} | {np.max(rel):.1e} | {in_std:.1e} '
                         f'(same lag on {same}/{len(names)}) |')
        else:
            lines.append(f'| {c} | {np.median(rel):.1e} | {np.max(rel):.1e} | {in_std:.1e} |')
    return '\n'.join(lines) + '\n', summary, names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--audio', required=True, help='folder with <genre>/<genre>.NNNNN.wav')
    ap.add_argument('--genres', nargs='+', default=['classical', 'jazz', 'rock'])
    ap.add_argument('--cli', default=os.path.join(ROOT, '.build', 'release', 'genre'))
    ap.add_argument('--tables', default=TABLES)
    ap.add_argument('--three-second-tracks', type=int, default=12, help='tracks per genre for the 3 s table')
    args = ap.parse_args()

    files = []
    for g in args.genres:
        files += sorted(glob.glob(os.path.join(args.audio, g, f'{g}.*.wav')))
    ours30, rc = run_cli(args.cli, files, ['--recipe', 'gtzan57'])
    table30 = read_table(os.path.join(args.tables, 'features_30_sec.csv'))
    text30, s30, n30 = compare(ours30, table30, f'30 s table ({", ".join(args.genres)}: {len(files)} files given, CLI exit {rc})')
    print(text30)

    few = []
    for g in args.genres:
        few += sorted(glob.glob(os.path.join(args.audio, g, f'{g}.*.wav')))[:args.three_second_tracks]
    ours3, rc3 = run_cli(args.cli, few, ['--recipe', 'gtzan57', '--segment', '3'])
    table3 = read_table(os.path.join(args.tables, 'features_3_sec.classical-jazz-rock.csv'))
    text3, s3, n3 = compare(ours3, table3, f'3 s table (first {args.three_second_tracks} tracks per genre, CLI exit {rc3})')
    print(text3)


if __name__ == '__main__':
    main()
