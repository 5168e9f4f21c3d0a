#!/bin/bash
# Builds the libFuzzer targets (fuzz/) with clang in build-fuzz/ (ASan + UBSan) and runs each
# on a copy of its committed seeds for about SECONDS of one CPU (default 20), side by side
# (CI: 30 s on two cores). Exit 1 on any crash, leak or sanitizer report; the finding is left
# in build-fuzz/findings/.
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
targets=(agent_commands controller_replies frame_header)
# The targets run side by side, each for the wall time that gives it about SECONDS of one CPU
# (libFuzzer's limit is wall time): on two cores, 3 x 20 s of fuzzing take 30 s, not 60.
cpus=$(nproc)
((cpus > ${#targets[@]})) && cpus=${#targets[@]}
wall=$(((secs * ${#targets[@]} + cpus - 1) / cpus))
pids=()
for t in "${targets[@]}"; do
  work=build-fuzz/corpus-$t
  rm -rf "$work" && cp -r "fuzz/corpus/$t" "$work"
  build-fuzz/fuzz/${t}_fuzz "$work" -max_total_time="$wall" -print_final_stats=1 \
    -artifact_prefix=build-fuzz/findings/$t- >"build-fuzz/$t.log" 2>&1 &
  pids+=($!)
done
status=0
for i in "${!targets[@]}"; do
  t=${targets[$i]}
  if ! wait "${pids[$i]}"; then
    echo "fuzz: $t FAILED (see build-fuzz/$t.log and build-fuzz/findings/)"
    tail -20 "build-fuzz/$t.log"
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "build-fuzz/$t.log" | awk '{print $2}')
  cov=$(grep -o 'cov: [0-9]*' "build-fuzz/$t.log" | tail -1 | awk '{print $2}')
  echo "fuzz: $t: ${runs:-?} executions, coverage ${cov:-?} edges, ${wall} s beside the others"
done
exit $status
