#!/usr/bin/env python3
"""Whether an A/B pair of builds moved a headline metric further than the same build moves it.

    tools/ab_noise.py AB_A.json AB_B.json SAME_A.json SAME_B.json [--metrics real_time,gbit_per_s]

Both pairs come from tools/ab_builds.sh, in one session: A against B (two builds), and the
same build twice (the noise floor). For each case and headline metric in both, the B/A ratio of
medians with its 95% bootstrap interval (tools/ab_ratio.py's), for each pair. The same build's
band is its interval widened to hold 1 (no change is always within noise). A metric moved when
the A/B ratio lies outside that band. Exits 1 when any moved, 0 otherwise, 2 on bad input.
"""

from __future__ import annotations

import argparse

import ab_ratio
import nbresults


def moved(ab_point: float, same_lo: float, same_hi: float) -> bool:
    """Whether ab_point lies outside the same build's band [min(lo, 1), max(hi, 1)]."""
    return not min(same_lo, 1.0) <= ab_point <= max(same_hi, 1.0)


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
    for case, m, point, lo, hi, _ in ab:
        if (case, m) not in same:
            continue
        s_point, s_lo, s_hi = same[(case, m)]
        bad = moved(point, s_lo, s_hi)
        count += 1
        moves += bad
        print(f"{case:34} {m:11} {point:7.3f} {lo:7.3f}-{hi:<7.3f} {s_point:7.3f} "
              f"{s_lo:7.3f}-{s_hi:<7.3f}  {'MOVED' if bad else 'within'}")
    if count == 0:
        raise nbresults.InputError("the two pairs share no case and metric")
    print(f"\n{count - moves} of {count} headline metrics within the same build's noise")
    return 1 if moves else 0


if __name__ == "__main__":
    nbresults.run_cli(main)
