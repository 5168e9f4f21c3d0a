#!/bin/bash
# Installs what netbench needs on Debian 12 (apt) and builds it into build/.
#   tools/setup.sh            # release build in build/
#   tools/setup.sh --asan     # also a sanitized build in build-asan/ (ASan + UBSan)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "tools/setup.sh: needs root (apt-get, and netbench itself needs it): run it with sudo" >&2
  exit 2
fi

PACKAGES=(
  # build
  build-essential cmake pkg-config git
  libbenchmark-dev libgtest-dev libfmt-dev libcli11-dev nlohmann-json3-dev
  libnl-3-dev libnl-route-3-dev libnftables-dev libcurl4-openssl-dev
  # run: containers, plumbing, load
  runc nftables iproute2 util-linux stress-ng
  # docker backend: an engine for the tests (tools/docker_engine.sh starts a private one), crun
  docker.io crun curl iptables openssl jq
  # kata: QEMU, and what the guest builder needs (busybox, cpio, xz for the kernel payload)
  qemu-system-x86 busybox-static cpio xz-utils
  # results: Google Benchmark's compare.py, netbench's compare and plots
  libbenchmark-tools python3-scipy python3-matplotlib python3-numpy
  # peers for tools/bench_vs_peers.sh
  sockperf qperf iperf3
  # fuzzing the control protocol (tools/fuzz.sh): clang and its libFuzzer
  clang-14 libclang-rt-14-dev
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "tools/setup.sh: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
if [ "${1:-}" = "--asan" ]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DNETBENCH_SANITIZE=ON >/dev/null
  cmake --build build-asan -j "$jobs"
fi
echo "tools/setup.sh: built build/netbench"
