#!/bin/bash
# Two netbench builds measured side by side: every selected case runs with build A, then at
# once with build B, case by case, so that the two differ by the builds and this machine's
# short-term noise, not by its drift over a long run. Writes OUT_a.json and OUT_b.json for
# tools/compare.py. With the same build twice it measures the noise floor (tools/make_pair.sh).
#
#   tools/ab_builds.sh BUILD_A BUILD_B OUT [netbench flags...]
#   tools/ab_builds.sh /tmp/base/build build /tmp/ab --runtimes runc --loads idle
#   tools/compare.py /tmp/ab_a.json /tmp/ab_b.json --fail-on-regression 10
#
# BUILD_A and BUILD_B are build directories (netbench and nb-agent inside). A_FLAGS and B_FLAGS
# (environment, split on blanks) are flags for one side only: the same build on two backends
# is a pair too (tools/docker_vs_netns.sh). The cases are the ones side B lists for the given
# flags. Never run it next to another benchmark.
#
# ROUNDS=K (environment) runs every case K times a side, in rounds that alternate which side
# goes first (A B, B A, ...), and pools each side's repetitions over the rounds: pass
# --benchmark_repetitions=R for R a round. A case's sample then spans K moments minutes apart
# on each side, so this machine's drift between runs is in both sides' intervals instead of
# between them (one run of 15 repetitions a side is a single moment each).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { echo "usage: $0 BUILD_A BUILD_B OUT [netbench flags...]" >&2; exit 2; }
a=$1 b=$2 out=$3
shift 3
for d in "$a" "$b"; do
  [ -x "$d/netbench" ] || { echo "$0: no netbench in $d (build it first)" >&2; exit 2; }
done
rounds=${ROUNDS:-1}
case $rounds in
  '' | *[!0-9]* | 0) echo "$0: ROUNDS must be a positive integer, not '$rounds'" >&2; exit 2 ;;
esac
read -r -a a_flags <<<"${A_FLAGS:-}"
read -r -a b_flags <<<"${B_FLAGS:-}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mapfile -t cases < <("$b/netbench" "${b_flags[@]}" "$@" --benchmark_list_tests 2>/dev/null |
  sed 's|/manual_time$||')
[ ${#cases[@]} -gt 0 ] || { echo "$0: the flags select no case" >&2; exit 2; }
i=0
for c in "${cases[@]}"; do
  i=$((i + 1))
  for j in $(seq 1 "$rounds"); do
    order="a b"
    [ $((j % 2)) -eq 0 ] && order="b a"
    for side in $order; do
      build=$a flags=("${a_flags[@]}")
      [ "$side" = b ] && build=$b flags=("${b_flags[@]}")
      part=$side-$(printf %03d $i)-$(printf %03d "$j")
      "$build/netbench" "${flags[@]}" "$@" --benchmark_filter="^${c}/manual_time\$" \
        --benchmark_out="$tmp/$part.json" >"$tmp/$part.log" 2>&1 ||
        { echo "$0: $build/netbench ${flags[*]} failed on $c:" >&2; tail -3 "$tmp/$part.log" >&2; exit 1; }
    done
  done
  echo "$c done ($i/${#cases[@]})" >&2
done
for side in a b; do
  build=$a
  [ "$side" = b ] && build=$b
  pool=()
  [ "$rounds" -gt 1 ] && pool=(--rounds)
  /usr/bin/python3 tools/merge_results.py "${out}_$side.json" "$tmp/$side"-*.json "${pool[@]}" \
    --note "side $side of an A/B pair interleaved case by case$([ "$rounds" -gt 1 ] && echo ", $rounds alternating rounds pooled") (tools/ab_builds.sh); build $build $([ "$side" = a ] && echo "${A_FLAGS:-}" || echo "${B_FLAGS:-}")"
done
echo "wrote ${out}_a.json and ${out}_b.json" >&2
