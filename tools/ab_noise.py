#!/usr/bin/env python3
"""Whether an A/B pair of builds moved a headline metric further than the same build moves it.

    tools/ab_noise.py AB_A.json AB_B.json SAME_A.json SAME_B.json [--metrics real_time,gbit_per_s]

Both pairs come from tools/ab_builds.sh, in one session: A against B (two builds), and the
same build twice (the noise floor). For each case and headline metric in both, the B/A ratio of
medians with its 95% bootstrap interval (tools/ab_ratio.py's), for each pair. The same build's
band is its interval widened to hold 1 (no change is always within noise). A metric moved when
the A/B ratio lies outside that band. Exits 1 when any moved, 0 otherwise, 2 on bad input.

Then, per runtime and load, both pairs' ratios side by side: their geometric mean (a shift
common to the group) and median |log ratio| (how far a case moves): where the same build moves
as far as the A/B pair, the A/B pair shows nothing the machine's run-to-run noise would not.
"""

from __future__ import annotations

import argparse
import math
import statistics

import ab_ratio
import nbresults


def moved(ab_point: float, same_lo: float, same_hi: float) -> bool:
    """Whether ab_point lies outside the same build's band [min(lo, 1), max(hi, 1)]."""
    return not min(same_lo, 1.0) <= ab_point <= max(same_hi, 1.0)


def group_summary(pairs: list[tuple[str, float, float]]) -> list[str]:
    """Lines per group (runtime/load) of (group, A/B ratio, same-build ratio) triples."""
    groups: dict[str, list[tuple[float, float]]] = {}
    for group, ab, same in pairs:
        groups.setdefault(group, []).append((ab, same))
    out = []
    for group, v in sorted(groups.items()):
        def geo(i: int) -> float:
            return math.exp(statistics.mean(math.log(x[i]) for x in v))

        def dev(i: int) -> float:
            return 100 * statistics.median(abs(math.log(x[i])) for x in v)
        out.append(f"{group:<24} {len(v):>3}   A/B {geo(0):.3f}, {dev(0):4.1f}%   "
                   f"same build {geo(1):.3f}, {dev(1):4.1f}%")
    return out


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("ab_a", "ab_b", "same_a", "same_b"):
        p.add_argument(name)
    ab_ratio.add_ratio_args(p, ("real_time", "gbit_per_s"))
    args = p.parse_args(argv)
    metrics = tuple(args.metrics.split(","))
    ab = ab_ratio.rows(nbresults.load(args.ab_a), nbresults.load(args.ab_b), metrics,
                       args.rounds, args.seed)
    same = {(case, m): (point, lo, hi) for case, m, point, lo, hi, _ in
            ab_ratio.rows(nbresults.load(args.same_a), nbresults.load(args.same_b), metrics,
                          args.rounds, args.seed)}
    print(f"B/A ratio of medians, bootstrap 95% intervals ({args.rounds} resamples); "
          "moved = the A/B ratio outside the same build's interval (widened to hold 1)")
    print(f"A/B:        {args.ab_a} / {args.ab_b}\nsame build: {args.same_a} / {args.same_b}\n")
    print(f"{'case':34} {'metric':11} {'A/B':>7} {'its interval':>15} "
          f"{'same':>7} {'its interval':>15}  verdict")
    count = moves = 0
    pairs = []
    for case, m, point, lo, hi, _ in ab:
        if (case, m) not in same:
            continue
        s_point, s_lo, s_hi = same[(case, m)]
        bad = moved(point, s_lo, s_hi)
        runtime = case.split("/")[0]
        load = "stress" if "/stress" in case else "idle"
        pairs.append((f"{runtime}/{load} {m}", point, s_point))
        count += 1
        moves += bad
        print(f"{case:34} {m:11} {point:7.3f} {lo:7.3f}-{hi:<7.3f} {s_point:7.3f} "
              f"{s_lo:7.3f}-{s_hi:<7.3f}  {'MOVED' if bad else 'within'}")
    if count == 0:
        raise nbresults.InputError("the two pairs share no case and metric")
    print(f"\n{count - moves} of {count} headline metrics within the same build's noise")
    print("\nper group: metrics, then each pair's geometric mean ratio and median |log ratio|")
    for line in group_summary(pairs):
        print(line)
    return 1 if moves else 0


if __name__ == "__main__":
    nbresults.run_cli(main)
