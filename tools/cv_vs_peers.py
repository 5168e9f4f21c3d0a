#!/usr/bin/python3
"""The report of tools/cv_vs_peers.sh: netbench's CV against its peers', round by round.

  cv_vs_peers.py run TMP ROUNDS BUILD DRIVER...   the table of one run, from the files the
                                                  script left in TMP (the script calls this)
  cv_vs_peers.py pool FILE...                     the same table over the rounds of several
                                                  reports (their "round by round" sections)

Each round also runs the peer a second time ("again"): the same statistics of the peer against
itself (its second run of a round against its first) show how far two runs of one tool land
apart on this machine, the yardstick for netbench's ratio.

Pooling keeps each round's values together, as they were measured back to back, and
concatenates the rounds of every file in the order given: the ratio and its interval are the
same statistics as one run's, over more rounds. A pooled table has no "one run" column (each
file's own table has it), and the peer against itself only when every file has it.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import random
import re
import statistics
import sys

US = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}
TESTS = (("tcp_rr", "us"), ("tcp_stream", "Gbit/s"))


def reps(path: str, test: str) -> list[dict]:
    d = json.load(open(path))
    out = [b for b in d["benchmarks"] if b.get("run_type") == "iteration"
           and b["run_name"].split("/")[2] == test]
    if not out or any(b.get("error_occurred") for b in out):
        sys.exit(f"error: {path}: {test} has no good repetition")
    return out


def rtt(b: dict) -> float:
    return b["real_time"] * US[b.get("time_unit", "ns")]


def gbit(b: dict) -> float:
    return b["gbit_per_s"]


def sockperf(path: str) -> float:
    m = re.search(r"avg-latency=([0-9.]+)", open(path).read())
    if not m:
        sys.exit(f"error: {path}: no avg-latency")
    return 2 * float(m.group(1))  # sockperf reports half the round trip


def iperf3(path: str) -> float:
    i = json.load(open(path))
    if "error" in i:
        sys.exit(f"error: {path}: {i['error']}")
    return i["end"]["sum_received"]["bits_per_second"] / 1e9


def cv(v: list[float]) -> float:
    return statistics.stdev(v) / statistics.mean(v)


def corr(a: list[float], b: list[float]) -> float:
    """Pearson's r of the two tools' values round by round (each round's pair ran back to back):
    near 1 when what moves them is the machine at that moment, not either tool."""
    ma, mb = statistics.mean(a), statistics.mean(b)
    sab = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    return sab / (sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b)) ** 0.5


def ranks(v: list[float]) -> list[float]:
    order = sorted(range(len(v)), key=v.__getitem__)
    out = [0.0] * len(v)
    i = 0
    while i < len(order):  # ties share their mean rank
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2
        i = j + 1
    return out


def drift(nb: list[float], peer: list[float], rng: random.Random,
          n: int = 2000) -> tuple[float, float]:
    """Spearman's rho of netbench / peer, round by round, against the round's number, and its
    two-sided p from permuting the rounds: does netbench move against its peer as a run goes on
    (something piling up over many --attach runs), or only with the machine?"""
    ratio = ranks([a / b for a, b in zip(nb, peer)])
    if len(set(ratio)) == 1:
        return 0.0, 1.0  # the same ratio every round: nothing moves
    order = ranks(list(range(len(ratio))))
    rho = corr(order, ratio)
    shuffled = ratio[:]
    beyond = 0
    for _ in range(n):
        rng.shuffle(shuffled)
        beyond += abs(corr(order, shuffled)) >= abs(rho) - 1e-12
    return rho, (beyond + 1) / (n + 1)


def ratio_interval(a: list[float], b: list[float], rng: random.Random,
                   n: int = 4000) -> tuple[float, float, float]:
    """CV(a) / CV(b) with a 95% interval from resampling whole rounds: a round's two values ran
    back to back, so what the machine did then moves both (r), and a resample keeps them
    together as they were measured. Resampling each tool on its own would add that shared
    movement to the ratio's spread twice over."""
    rs = []
    for _ in range(n):
        ix = [rng.randrange(len(a)) for _ in a]
        rs.append(cv([a[i] for i in ix]) / max(cv([b[i] for i in ix]), 1e-12))
    rs.sort()
    return cv(a) / cv(b), rs[int(0.025 * n)], rs[int(0.975 * n) - 1]


def verdict(lo: float, hi: float) -> str:
    return "met" if hi <= 1 else ("missed" if lo > 1 else "undecided")


def table(rows: list[tuple], block_label: str | None) -> list[str]:
    """rows: (driver, test, unit, netbench values, peer values, the peer's again or None, one
    run's values or None)."""
    rng = random.Random(7)  # one stream over the rows in order: a report is reproducible
    out = [f"  {'driver':<8}{'test':<11}{'netbench mean':>14}{'CV':>7}{'peer mean':>11}{'CV':>7}"
           f"{'ratio (95% interval)':>27}{'':>13}{'r':>6}"
           + (f"{block_label:>26}" if block_label else "")]
    for d, test, unit, nb, peer, _, block in rows:
        p, lo, hi = ratio_interval(nb, peer, rng)
        line = (f"  {d:<8}{test:<11}{statistics.mean(nb):>11.2f} {unit:<2}{100 * cv(nb):>6.1f}%"
                f"{statistics.mean(peer):>11.2f}{100 * cv(peer):>6.1f}%"
                f"{p:>10.2f} ({lo:.2f}-{hi:.2f}){'':>3}{verdict(lo, hi):<10}"
                f"{corr(nb, peer):>6.2f}")
        if block is not None:
            line += f"{100 * cv(block):>14.1f}%"
        out.append(line)
    return out


def again_table(rows: list[tuple]) -> list[str]:
    """The peer against itself: CV(its second run of each round) / CV(its first), the same
    statistics as netbench's ratio. Where this interval is as wide, or as far from 1, a ratio's
    verdict says as much about the machine as about netbench."""
    rng = random.Random(11)
    out = ["the peer against itself (its second run of each round against its first):",
           f"  {'driver':<8}{'test':<11}{'first CV':>9}{'again CV':>10}"
           f"{'ratio (95% interval)':>27}{'':>13}{'r':>6}"]
    for d, test, _, _, peer, again, _ in rows:
        if again is None:
            continue
        p, lo, hi = ratio_interval(again, peer, rng)
        out.append(f"  {d:<8}{test:<11}{100 * cv(peer):>8.1f}%{100 * cv(again):>9.1f}%"
                   f"{p:>10.2f} ({lo:.2f}-{hi:.2f}){'':>3}{verdict(lo, hi):<10}"
                   f"{corr(again, peer):>6.2f}")
    return out if len(out) > 2 else []


def drift_lines(rows: list[tuple], pooled: bool = False) -> list[str]:
    """pooled: the rounds are several runs' in file order, so a rho there also holds the
    differences between runs, not only what moved within one."""
    rng = random.Random(13)
    span = ("over the pooled rounds, in file order (between runs as well as within)" if pooled
            else "as the run goes on")
    out = [f"netbench against the peer {span} (Spearman's rho of their ratio against the round; "
           "p from 2000 permutations):"]
    for d, test, _, nb, peer, _, _ in rows:
        rho, p = drift(nb, peer, rng)
        out.append(f"  {d:<8}{test:<11}rho {rho:+.2f}  p {p:.3f}")
    return out


def raw_lines(rows: list[tuple]) -> list[str]:
    out = ["round by round (netbench's, the peer's, the peer's again; for pooling runs and "
           "finding outliers):"]
    for d, test, _, nb, peer, again, _ in rows:
        out.append(f"  {d:<8}{test:<11}netbench {' '.join(f'{v:.3f}' for v in nb)}")
        out.append(f"  {'':<19}peer     {' '.join(f'{v:.3f}' for v in peer)}")
        if again is not None:
            out.append(f"  {'':<19}again    {' '.join(f'{v:.3f}' for v in again)}")
    return out


def run_rows(tmp: str, rounds: int, drivers: list[str]) -> list[tuple]:
    """Every test the script ran (its TESTS= may leave one out: then its files are not there)."""
    rows = []
    every = range(1, rounds + 1)
    for d in drivers:
        if os.path.exists(f"{tmp}/{d}-nb_rr-1.json"):
            rows.append((d, "tcp_rr", "us",
                         [rtt(reps(f"{tmp}/{d}-nb_rr-{r}.json", "tcp_rr")[0]) for r in every],
                         [sockperf(f"{tmp}/{d}-sockperf-{r}.txt") for r in every],
                         [sockperf(f"{tmp}/{d}-sockperf_again-{r}.txt") for r in every],
                         [rtt(b) for b in reps(f"{tmp}/{d}-nb_block.json", "tcp_rr")]))
        if os.path.exists(f"{tmp}/{d}-nb_stream-1.json"):
            rows.append((d, "tcp_stream", "Gbit/s",
                         [gbit(reps(f"{tmp}/{d}-nb_stream-{r}.json", "tcp_stream")[0])
                          for r in every],
                         [iperf3(f"{tmp}/{d}-iperf3-{r}.json") for r in every],
                         [iperf3(f"{tmp}/{d}-iperf3_again-{r}.json") for r in every],
                         [gbit(b) for b in reps(f"{tmp}/{d}-nb_block.json", "tcp_stream")]))
    return rows


Values = list[float]


def parse_rounds(text: str) -> dict[tuple[str, str], tuple[Values, Values, Values | None]]:
    """A report's "round by round" section: (driver, test) -> (netbench's, the peer's, the peer's
    again or None: older reports ran the peer once a round)."""
    out: dict[tuple[str, str], tuple[Values, Values, Values | None]] = {}
    lines = text.splitlines()
    try:
        i = next(k for k, l in enumerate(lines) if l.startswith("round by round"))
    except StopIteration:
        return out
    key = None
    for line in lines[i + 1:]:
        f = line.split()
        if len(f) >= 3 and f[2] == "netbench":
            key = (f[0], f[1])
            out[key] = ([float(v) for v in f[3:]], [], None)
        elif f and f[0] == "peer" and key is not None:
            out[key][1].extend(float(v) for v in f[1:])
        elif f and f[0] == "again" and key is not None:
            out[key] = (out[key][0], out[key][1], [float(v) for v in f[1:]])
        elif line.strip():
            break
    return out


def pool_rows(texts: list[str]) -> list[tuple]:
    pooled: dict[tuple[str, str], tuple[Values, Values, Values | None]] = {}
    for text in texts:
        for key, (nb, peer, again) in parse_rounds(text).items():
            if len(nb) != len(peer) or (again is not None and len(again) != len(peer)):
                sys.exit(f"error: {key[0]} {key[1]}: {len(nb)} netbench values, {len(peer)} peer"
                         + ("" if again is None else f", {len(again)} again"))
            acc = pooled.setdefault(key, ([], [], []))
            acc[0].extend(nb)
            acc[1].extend(peer)
            if acc[2] is not None and again is not None:
                acc[2].extend(again)
            else:  # one file without the peer's second run: the pool has none
                pooled[key] = (acc[0], acc[1], None)
    units = dict(TESTS)
    return [(d, t, units.get(t, ""), nb, peer, again, None)
            for (d, t), (nb, peer, again) in pooled.items()]


def header(rounds: str, build: str) -> list[str]:
    return [f"CV of netbench's repetitions against its peers' runs, runc, {rounds} interleaved "
            f"rounds per driver, {datetime.datetime.now().isoformat(timespec='seconds')}, kernel "
            f"{platform.release()}, netbench {build}",
            "interleaved: netbench one repetition per run (--attach), sockperf pp --tcp -t 1, "
            "iperf3 -l 128K -O 1 -t 1, each peer twice a round (netbench first, second and "
            "third in turn); "
            "ratio = CV(netbench) / CV(peer), 95% interval from a bootstrap of whole rounds; "
            "met when the interval is at or below 1; r = the two tools' round-by-round "
            "correlation"]


def main(argv: list[str]) -> int:
    if len(argv) >= 5 and argv[1] == "run":
        tmp, rounds, build, drivers = argv[2], int(argv[3]), argv[4], argv[5:]
        rows = run_rows(tmp, rounds, drivers)
        out = header(str(rounds), build)
        out += table(rows, f"one run of {rounds} reps: CV") + again_table(rows)
        out += drift_lines(rows) + raw_lines(rows)
    elif len(argv) >= 3 and argv[1] == "pool":
        texts = [open(p).read() for p in argv[2:]]
        rows = pool_rows(texts)
        if not rows:
            print("error: no \"round by round\" section in " + " ".join(argv[2:]), file=sys.stderr)
            return 2
        counts = sorted({len(r[3]) for r in rows})
        out = [f"Pooled: the rounds of {', '.join(argv[2:])}, in that order "
               f"({'/'.join(map(str, counts))} rounds per row)"]
        out += table(rows, None) + again_table(rows) + drift_lines(rows, pooled=True)
    else:
        print("usage:\n" + "\n".join(__doc__.splitlines()[2:7]), file=sys.stderr)
        return 2
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
