#!/usr/bin/env bash
# Throughput of `genre features` and `genre classify` run as P shard processes at once (one per
# core), as a job array would run them; prints files/s and CPU seconds per file. Also checks that
# the shards' outputs merged equal an unsharded run when CHECK=1.
#
#   swift build -c release --product genre
#   ls DIR/*/*.wav > files.txt
#   Scripts/shard_throughput.sh .build/release/genre files.txt 2
set -euo pipefail
genre=$(realpath "$1"); list=$(realpath "$2"); procs=${3:-$(nproc)}
out=$(mktemp -d)
count=$(grep -c . "$list")
echo "files: $count, processes: $procs, cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"

run() {  # name, then the command's arguments (the shard and output are appended)
  local name=$1; shift
  local start end cpu=0
  start=$(date +%s.%N)
  for ((i = 0; i < procs; i++)); do
    /usr/bin/time -f "%U %S" -o "$out/$name.$i.time" "$genre" "$@" --files-from "$list" \
      --shard "$i/$procs" > "$out/$name.$i.out" &
  done
  wait
  end=$(date +%s.%N)
  for ((i = 0; i < procs; i++)); do
    cpu=$(awk -v c="$cpu" '{ print c + $1 + $2 }' "$out/$name.$i.time")
  done
  awk -v n="$count" -v w="$(echo "$end - $start" | bc)" -v c="$cpu" -v p="$procs" -v name="$name" \
    'BEGIN { printf "%-9s wall %7.2f s  %6.2f files/s  %5.2f files/s per process  CPU %6.1f ms/file\n",
             name, w, n / w, n / w / p, 1000 * c / n }'
}

run features features --recipe gtzan57
run classify classify --json --jobs 1

if [ "${CHECK:-0}" = 1 ]; then
  "$genre" features --recipe gtzan57 --files-from "$list" > "$out/features.all"
  cmp <(for f in "$out"/features.*.out; do tail -n +2 "$f"; done | sort) <(tail -n +2 "$out/features.all" | sort)
  "$genre" classify --json --files-from "$list" > "$out/classify.all"
  cmp <(cat "$out"/classify.*.out | sort) <(sort "$out/classify.all")
  echo "merged shards equal the unsharded runs"
fi
rm -rf "$out"
