#!/bin/bash
# Makes results/reference/pair_{a,b}.json: two runs of the same build, interleaved case by case
# (A then B for each case, seconds apart), so that the pair differs by noise, not by the drift
# of a shared machine between two long runs.
#
#   tools/make_pair.sh [LOADS]          (default: idle)
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p results/reference
tools/ab_builds.sh build build results/reference/pair --loads "${1:-idle}"
