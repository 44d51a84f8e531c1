#!/usr/bin/env python3
"""Draws the figures of Docs/ as plain SVG (no plotting library needed).

- Reads Docs/data/benchmarks.json (same-run figures copied from Docs/benchmarks.md) and writes one
  horizontal bar chart per entry of "figures" into Docs/figures/: for every stage a bar for ours
  and one for the peer on a logarithmic time axis, with the ratio peer / ours at the right.
- Reads Docs/evaluation/default-model-test-filtered.json (`genre evaluate --json` of the shipped
  model on test_filtered) and writes its confusion matrix as Docs/figures/confusion-default-test.svg.

Run from anywhere: `python3 Scripts/docs_figures.py`. Output is deterministic.
"""
import json
import math
import pathlib
from xml.sax.saxutils import escape

ROOT = pathlib.Path(__file__).resolve().parent.parent
OURS, PEER = "#1f6feb", "#d29922"
LEFT, RIGHT, TOP, ROW, BAR = 300, 140, 64, 34, 12
PLOT = 520


def fmt(ms):
    if ms >= 1000:
        return f"{ms / 1000:.3g} s"
    return f"{ms:.3g} ms"


def chart(figure):
    rows = figure["rows"]
    values = [v for r in rows for v in (r["ours"], r["peer"])]
    lo = 10 ** math.floor(math.log10(min(values)))
    hi = 10 ** math.ceil(math.log10(max(values)))
    decades = round(math.log10(hi / lo))

    def x(v):
        return LEFT + PLOT * math.log10(v / lo) / decades

    height = TOP + ROW * len(rows) + 56
    width = LEFT + PLOT + RIGHT
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="10" y="20" font-size="14" font-weight="bold">{escape(figure["title"])}</text>',
        f'<rect x="{LEFT}" y="32" width="12" height="12" fill="{OURS}"/>'
        f'<text x="{LEFT + 16}" y="42">GenreClassifier</text>',
        f'<rect x="{LEFT + 130}" y="32" width="12" height="12" fill="{PEER}"/>'
        f'<text x="{LEFT + 146}" y="42">peer (named per row)</text>',
        f'<text x="{LEFT + PLOT + 60}" y="42" font-weight="bold">peer / ours</text>',
    ]
    bottom = TOP + ROW * len(rows)
    for d in range(decades + 1):
        v = lo * 10 ** d
        gx = x(v)
        out.append(f'<line x1="{gx:.1f}" y1="{TOP - 6}" x2="{gx:.1f}" y2="{bottom}" stroke="#ddd"/>')
        out.append(f'<text x="{gx:.1f}" y="{bottom + 16}" text-anchor="middle" fill="#555">{fmt(v)}</text>')
    out.append(f'<text x="{LEFT + PLOT / 2}" y="{bottom + 36}" text-anchor="middle" fill="#555">'
               f'time per run ({escape(figure["unit"])}, logarithmic)</text>')
    for i, r in enumerate(rows):
        y = TOP + ROW * i
        out.append(f'<text x="{LEFT - 8}" y="{y + 11}" text-anchor="end">{escape(r["stage"])}</text>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 24}" text-anchor="end" fill="#777" font-size="10">'
                   f'vs {escape(r["peerName"])}</text>')
        for j, (key, colour) in enumerate((("ours", OURS), ("peer", PEER))):
            by = y + j * (BAR + 1)
            out.append(f'<rect x="{LEFT}" y="{by}" width="{max(x(r[key]) - LEFT, 1):.1f}" height="{BAR}" '
                       f'fill="{colour}"><title>{escape(r["stage"])}: {key} {fmt(r[key])}</title></rect>')
            out.append(f'<text x="{x(r[key]) + 4:.1f}" y="{by + 10}" font-size="10" fill="#333">{fmt(r[key])}</text>')
        ratio = r["peer"] / r["ours"]
        colour = "#1a7f37" if ratio >= 1 else "#cf222e"
        out.append(f'<text x="{LEFT + PLOT + 60}" y="{y + 18}" fill="{colour}" font-weight="bold">{ratio:.1f}×</text>')
    out.append(f'<text x="10" y="{height - 6}" fill="#777" font-size="10">{escape(figure["source"])}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def confusion(report):
    metrics = report["windows"]
    labels, matrix = metrics["labels"], metrics["confusion"]
    n, cell, left, top = len(labels), 44, 110, 96
    width, height = left + n * cell + 150, top + n * cell + 60
    peak = max(max(row) for row in matrix)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="10" y="20" font-size="14" font-weight="bold">Default model on test_filtered: '
        f'confusion matrix ({metrics["count"]} tracks, accuracy {100 * metrics["accuracy"]:.1f} %)</text>',
        f'<text x="{left + n * cell / 2}" y="{top - 52}" text-anchor="middle" fill="#555">predicted</text>',
        f'<text x="14" y="{top + n * cell / 2}" fill="#555" transform="rotate(-90 14 {top + n * cell / 2})" '
        f'text-anchor="middle">true genre</text>',
    ]
    for j, label in enumerate(labels):
        cx = left + j * cell + cell / 2
        out.append(f'<text x="{cx}" y="{top - 8}" text-anchor="start" '
                   f'transform="rotate(-45 {cx} {top - 8})">{escape(label)}</text>')
    for i, label in enumerate(labels):
        y = top + i * cell
        out.append(f'<text x="{left - 6}" y="{y + cell / 2 + 4}" text-anchor="end">{escape(label)}</text>')
        total = sum(matrix[i])
        for j, count in enumerate(matrix[i]):
            shade = count / peak
            fill = f"rgb({round(255 - 224 * shade)},{round(255 - 144 * shade)},{round(255 - 20 * shade)})"
            text = "white" if shade > 0.5 else "#222"
            stroke = ' stroke="#1a7f37" stroke-width="2"' if i == j else ' stroke="#eee"'
            out.append(f'<rect x="{left + j * cell}" y="{y}" width="{cell}" height="{cell}" fill="{fill}"{stroke}>'
                       f'<title>{escape(label)} → {escape(labels[j])}: {count}</title></rect>')
            if count:
                out.append(f'<text x="{left + j * cell + cell / 2}" y="{y + cell / 2 + 4}" text-anchor="middle" '
                           f'fill="{text}">{count}</text>')
        recall = matrix[i][i] / total if total else 0
        out.append(f'<text x="{left + n * cell + 10}" y="{y + cell / 2 + 4}" fill="#555">'
                   f'recall {100 * recall:.0f} % of {total}</text>')
    out.append(f'<text x="10" y="{height - 10}" fill="#777" font-size="10">rows: true genre; columns: '
               f'predicted; from Docs/evaluation/default-model-test-filtered.json (genre evaluate --json)</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    data = json.loads((ROOT / "Docs/data/benchmarks.json").read_text())
    target = ROOT / "Docs/figures"
    target.mkdir(parents=True, exist_ok=True)
    for figure in data["figures"]:
        (target / figure["file"]).write_text(chart(figure))
        print("wrote", (target / figure["file"]).relative_to(ROOT))
    report = json.loads((ROOT / "Docs/evaluation/default-model-test-filtered.json").read_text())
    (target / "confusion-default-test.svg").write_text(confusion(report))
    print("wrote Docs/figures/confusion-default-test.svg")


if __name__ == "__main__":
    main()
