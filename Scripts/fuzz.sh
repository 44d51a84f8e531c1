#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (once) and runs them.
#
#   Scripts/fuzz.sh TARGET SECONDS     run one target, e.g. Scripts/fuzz.sh AudioDecode 600
#   Scripts/fuzz.sh all SECONDS        run every target in turn, SECONDS each
#   Scripts/fuzz.sh build              only build
#
# Targets: AudioDecode AudioStream SafeTensors ModelManifest ModelBundle FeatureTable SplitList.
# Seeds are read from Fuzz/Corpus/TARGET (committed, never written); new corpus entries go to
# Fuzz/.runs/corpus/TARGET (scratch, git-ignored), crashes to Fuzz/.runs/artifacts/TARGET/, the
# log to Fuzz/.runs/TARGET.log. One fuzzing process at a time, in-process, one worker (the
# machine is shared). Exits non-zero when a target finds a crash, an invariant violation, a leak,
# a timeout (> 10 s per input) or an allocation above 1 GiB.
#
# Extra libFuzzer flags can be passed in FUZZ_FLAGS, e.g. FUZZ_FLAGS="-max_len=65536".
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
FUZZ="$ROOT/Fuzz"
RUNS="$FUZZ/.runs"
TARGETS=(AudioDecode AudioStream SafeTensors ModelManifest ModelBundle FeatureTable SplitList)

usage() {
  echo "usage: $0 {${TARGETS[*]// /|}|all} SECONDS   or   $0 build" >&2
  exit 2
}

build() {
  # -sanitize=fuzzer,address instruments every module (the GenreClassifier libraries included)
  # for coverage and ASan; -parse-as-library because the entry point is our `<Module>_main`.
  swift build -c debug --package-path "$FUZZ" --scratch-path "$FUZZ/.build" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 \
    | grep -v "Cannot export local symbol" >&2
  BIN="$(swift build -c debug --package-path "$FUZZ" --scratch-path "$FUZZ/.build" --show-bin-path)"
}

run() {
  local target="$1" seconds="$2"
  [[ -d "$FUZZ/Corpus/$target" ]] || { echo "unknown target '$target'" >&2; usage; }
  mkdir -p "$RUNS/corpus/$target" "$RUNS/artifacts/$target"
  local log="$RUNS/$target.log"
  echo "== Fuzz$target for ${seconds}s (log: $log)" >&2
  local status=0
  # shellcheck disable=SC2086
  LSAN_OPTIONS="suppressions=$FUZZ/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
  SWIFT_BACKTRACE=enable=no "$BIN/Fuzz$target" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
    -rss_limit_mb=1024 -malloc_limit_mb=1024 -artifact_prefix="$RUNS/artifacts/$target/" \
    ${FUZZ_FLAGS:-} "$RUNS/corpus/$target" "$FUZZ/Corpus/$target" >"$log" 2>&1 || status=$?
  # Summary: the last status line (executions, cov, ft, corpus) and the final stats.
  grep -E "^#[0-9]+[[:space:]]+(DONE|INITED|pulse|NEW|REDUCE)" "$log" | tail -1 >&2 || true
  grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)" "$log" >&2 || true
  if [[ $status -ne 0 ]]; then
    echo "!! Fuzz$target FAILED (exit $status); see $log and $RUNS/artifacts/$target/" >&2
    grep -E "invariant violated|Fatal error|ERROR: (AddressSanitizer|libFuzzer)|SUMMARY" "$log" | head -5 >&2 || true
  fi
  return $status
}

[[ $# -ge 1 ]] || usage
if [[ "$1" == build ]]; then build; exit 0; fi
[[ $# -eq 2 && "$2" =~ ^[0-9]+$ ]] || usage
build
if [[ "$1" == all ]]; then
  failed=0
  for target in "${TARGETS[@]}"; do run "$target" "$2" || failed=1; done
  exit $failed
fi
run "$1" "$2"
