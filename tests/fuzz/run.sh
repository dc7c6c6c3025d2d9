#!/usr/bin/env bash
# run.sh - builds the libFuzzer harnesses (clang, ASan+UBSan, in build-fuzz/) and runs each for
# a set time, starting from the committed seeds in tests/fuzz/corpus/<name>/. What a run finds
# new goes to build-fuzz/corpus/<name>/ (never into the committed seeds); a crash, a sanitizer
# report, a leak or a broken promise stops that harness, leaves crash-* in build-fuzz/ and
# fails the script. Prints the executions of each harness.
#   tests/fuzz/run.sh [seconds per harness, default 60] [harness names...]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}; shift || true
root=$PWD
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-g -O1" \
  -DKEPU_FUZZ=ON -DKEPU_TESTS=OFF >/dev/null
names=("$@")
[ ${#names[@]} -eq 0 ] && names=($(cd tests/fuzz && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//'))
cmake --build build-fuzz -j "${JOBS:-2}" --target "${names[@]/#/fuzz_}" >/dev/null
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1
export LSAN_OPTIONS=suppressions=$root/tests/lsan.supp
failed=0
summary=()
for n in "${names[@]}"; do
  mkdir -p "build-fuzz/corpus/$n"
  log=build-fuzz/fuzz_$n.log
  if (cd build-fuzz && ./fuzz_"$n" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
        "corpus/$n" "$root/tests/fuzz/corpus/$n") >"$log" 2>&1; then
    result=ok
  else
    result=FAILED; failed=1
    grep -E 'ERROR|promise broken|runtime error|Test unit written' "$log" | head -5 >&2 || true
  fi
  runs=$(grep -oE '^stat::number_of_executed_units: [0-9]+' "$log" | awk '{print $2}' | tail -1)
  summary+=("$(printf '%-14s %-6s %12s executions (%ss limit)' "$n" "$result" "${runs:-?}" "$secs")")
done
printf 'fuzz: %s\n' "${summary[@]}"
exit $failed
