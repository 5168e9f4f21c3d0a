#!/bin/bash
# Builds the libFuzzer targets (fuzz/) with clang in build-fuzz/ (ASan + UBSan) and runs each
# on a copy of its committed seeds for SECONDS (default 20; CI: about a minute in all). Exit 1
# on any crash, leak or sanitizer report; the finding is left in build-fuzz/findings/.
#
#   tools/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
cxx=$(command -v clang++-14 || command -v clang++ || true)
[ -n "$cxx" ] || { echo "tools/fuzz.sh: clang++ not found (apt-get install clang)" >&2; exit 2; }
cmake -S . -B build-fuzz -DNETBENCH_FUZZ=ON -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j "$(nproc)" >/dev/null
mkdir -p build-fuzz/findings
status=0
for t in agent_commands controller_replies frame_header; do
  work=build-fuzz/corpus-$t
  rm -rf "$work" && cp -r "fuzz/corpus/$t" "$work"
  if ! build-fuzz/fuzz/${t}_fuzz "$work" -max_total_time="$secs" -print_final_stats=1 \
      -artifact_prefix=build-fuzz/findings/$t- >"build-fuzz/$t.log" 2>&1; then
    echo "fuzz: $t FAILED (see build-fuzz/$t.log and build-fuzz/findings/)"
    tail -20 "build-fuzz/$t.log"
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "build-fuzz/$t.log" | awk '{print $2}')
  cov=$(grep -o 'cov: [0-9]*' "build-fuzz/$t.log" | tail -1 | awk '{print $2}')
  echo "fuzz: $t: ${runs:-?} executions, coverage ${cov:-?} edges, ${secs} s"
done
exit $status
