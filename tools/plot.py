#!/usr/bin/python3
"""Plot a netbench results file like the paper's figures (PNG, headless).

    tools/plot.py FILE.json [--out DIR]

Writes, per test of kind stream or rr and per set of case parameters (the
key:value parts of the name, such as msg:N):

    <stem>-bandwidth.png            stream: Gbit/s bars per driver, runtimes side by side
    <stem>-latency.png              rr: mean RTT (us) bars, same layout
    <stem>-latency-percentiles.png  rr: p50/p90/p99/p99.9 per case, log scale

with `-<test>` added after the figure name when the file has more than one
test of that kind, and `-<params>` (':' and '/' as '_') for parameters. A
test's kind is the file's `test:<name>` kind, else its name (`*_rr`,
`*_stream`); values are converted to the axis unit from the file's
`metric:<name>` unit, else the unit the metric's name suggests.

Bar charts have an idle and a stress panel (those present in the file), bars
are means over repetitions, error bars one standard deviation. A skipped case
is an empty slot marked "skipped" (its reason in the footnote), an errored
case one marked "error": never a bar of 0. Prints the paths it wrote.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from typing import Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import nbresults  # noqa: E402
from nbresults import Case, CaseName, InputError, Results  # noqa: E402

# Context facts shown under every figure, when present.
CAPTION_KEYS = ("host_name", "date", "netbench_version", "netbench_commit",
                "backend", "vm_accel", "scaled_by")
PERCENTILES = (("p50", "p50_us"), ("p90", "p90_us"), ("p99", "p99_us"),
               ("p99.9", "p999_us"))


# Factors to the axis units, by the unit a file gives a metric.
TO_GBIT_PER_S = {"Gbit/s": 1.0, "Mbit/s": 1e-3, "kbit/s": 1e-6, "bit/s": 1e-9,
                 "GB/s": 8.0, "MB/s": 8e-3, "kB/s": 8e-6, "B/s": 8e-9}
TO_US = {"s": 1e6, "ms": 1e3, "us": 1.0, "ns": 1e-3}


@dataclass(frozen=True)
class Measure:
    """What a bar shows, for the tests of one kind: the first of `metrics`
    a case has whose unit converts to the axis unit (`scales`)."""

    title: str
    ylabel: str
    kind: str
    metrics: tuple[str, ...]
    scales: dict[str, float]


BANDWIDTH = Measure("Bandwidth", "Gbit/s", "stream",
                    ("gbit_per_s", "bytes_per_second"), TO_GBIT_PER_S)
LATENCY = Measure("Latency (mean RTT)", "RTT (us)", "rr", ("real_time",), TO_US)


@dataclass
class Slot:
    """One bar position: a runtime on a driver under a load."""

    status: str                  # "ok", "skipped", "error", "missing"
    mean: Optional[float] = None
    stddev: Optional[float] = None


@dataclass
class Layout:
    """The cases of one test and parameter set, and the axes they span."""

    results: Results
    test: str
    params: nbresults.Params
    cases: dict[CaseName, Case]
    skipped: dict[CaseName, str]
    runtimes: list[str]
    drivers: list[str]
    loads: list[str]

    @property
    def variant(self) -> str:
        return nbresults.params_text(self.params)

    def scale(self, metric: str, scales: dict[str, float]) -> Optional[float]:
        """The factor from the metric's unit to the axis unit; None if unknown."""
        return scales.get(self.results.unit_or_guess(metric))


def all_names(results: Results) -> list[CaseName]:
    """The parsed names of the file's cases and skipped cases."""
    names = [c.parsed for c in results.cases.values()] + \
        [CaseName.parse(n) for n in results.skipped]
    return [n for n in names if n]


def layout(results: Results, test: str,
           params: nbresults.Params = ()) -> Optional[Layout]:
    """Cases and skipped cases of a test and parameter set; None without any case."""
    cases = {p: c for c in results.cases.values()
             if (p := c.parsed) and p.test == test and p.params == params}
    skipped = {p: reason for name, reason in results.skipped.items()
               if (p := CaseName.parse(name)) and p.test == test
               and p.params == params}
    if not cases:
        return None
    names = list(cases) + list(skipped)

    def ordered(values: set[str], order: tuple[str, ...]) -> list[str]:
        return sorted(values, key=lambda v: nbresults.order_key(v, order))

    return Layout(results, test, params, cases, skipped,
                  ordered({n.runtime for n in names}, nbresults.RUNTIME_ORDER),
                  ordered({n.driver for n in names}, nbresults.DRIVER_ORDER),
                  ordered({n.load for n in names}, nbresults.LOADS))


def tests_of_kind(results: Results, kind: str) -> list[str]:
    """The file's tests of a kind (file `test:` keys, else by name), by name."""
    return sorted({n.test for n in all_names(results)
                   if results.test_kind(n.test) == kind})


def param_sets(results: Results, test: str) -> list[nbresults.Params]:
    return sorted({n.params for n in all_names(results) if n.test == test})


def slot(lay: Layout, name: CaseName, measure: Measure) -> Slot:
    if name in lay.skipped:
        return Slot("skipped")
    case = lay.cases.get(name)
    if case is None:
        return Slot("missing")
    if case.errored:
        return Slot("error")
    for metric in measure.metrics:
        mean, scale = case.mean(metric), lay.scale(metric, measure.scales)
        if mean is not None and scale is not None:
            return Slot("ok", mean * scale, (case.stddev(metric) or 0.0) * scale)
    return Slot("missing")


def caption(results: Results) -> str:
    facts = [f"{k}: {v}" for k in CAPTION_KEYS if (v := results.fact(k))]
    reps = {len(c.values("real_time")) for c in results.cases.values()}
    reps.discard(0)
    if reps:
        n = "/".join(str(r) for r in sorted(reps))
        facts.append(f"means of {n} repetitions, error bars ±1 stddev")
    return "; ".join(facts)


def footnotes(lay: Layout) -> list[str]:
    """Why slots are empty: one line per skipped or errored case."""
    notes = [f"{n.runtime}/{n.driver} {n.load}: skipped: {reason}"
             for n, reason in lay.skipped.items()]
    notes += [f"{n.runtime}/{n.driver} {n.load}: error: {c.error_summary}"
              for n, c in lay.cases.items() if c.errored]
    return sorted(set(notes))


def runtime_colors(runtimes: list[str]) -> dict[str, str]:
    return {rt: f"C{i}" for i, rt in enumerate(runtimes)}


def draw_bars(ax: Axes, lay: Layout, load: str, measure: Measure) -> None:
    width = 0.8 / len(lay.runtimes)
    colors = runtime_colors(lay.runtimes)
    for i, runtime in enumerate(lay.runtimes):
        for x, driver in enumerate(lay.drivers):
            name = CaseName(runtime, driver, lay.test, load, lay.params)
            s = slot(lay, name, measure)
            pos = x - 0.4 + width * (i + 0.5)
            if s.status != "ok":
                ax.text(pos, 0.02, s.status, rotation=90, ha="center",
                        va="bottom", fontsize=8, color="dimgray",
                        transform=ax.get_xaxis_transform())
                continue
            bars = ax.bar(pos, s.mean, width, yerr=s.stddev, capsize=3,
                          color=colors[runtime])
            ax.bar_label(bars, labels=[nbresults.fmt_number(s.mean)],
                         fontsize=7, padding=2)
    ax.set_xticks(range(len(lay.drivers)), lay.drivers)
    ax.set_xlim(-0.5, len(lay.drivers) - 0.5)   # keep empty slots in view
    ax.set_title(load)
    ax.set_ylabel(measure.ylabel)


def legend_by_runtime(fig: Figure, lay: Layout) -> None:
    colors = runtime_colors(lay.runtimes)
    handles = [plt.Rectangle((0, 0), 1, 1, color=colors[rt])
               for rt in lay.runtimes]
    fig.legend(handles, lay.runtimes, loc="upper right", title="runtime")


def finish(fig: Figure, title: str, lay: Layout, results: Results,
           path: str) -> str:
    fig.suptitle(title)
    text = [caption(results)] + footnotes(lay)
    fig.text(0.01, 0.0, "\n".join(t for t in text if t), fontsize=7,
             va="top", ha="left", wrap=True)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return path


def bar_figure(results: Results, lay: Layout, measure: Measure,
               path: str) -> str:
    fig, axes = plt.subplots(1, len(lay.loads), sharey=True, squeeze=False,
                             figsize=(5 * len(lay.loads) + 1, 4.5))
    for ax, load in zip(axes[0], lay.loads):
        draw_bars(ax, lay, load, measure)
    legend_by_runtime(fig, lay)
    return finish(fig, f"{measure.title}, {title_of(lay)}",
                  lay, results, path)


def draw_percentiles(ax: Axes, lay: Layout, load: str) -> bool:
    """One line per case over p50..p99.9; False if nothing was drawn."""
    colors = runtime_colors(lay.runtimes)
    markers = "osD^v<>ph*"
    drawn = False
    for name, case in lay.cases.items():
        if name.load != load or case.errored:
            continue
        points = [(i, mean * scale, (case.stddev(m) or 0.0) * scale)
                  for i, (_, m) in enumerate(PERCENTILES)
                  if (mean := case.mean(m)) is not None
                  and (scale := lay.scale(m, TO_US)) is not None]
        if not points:
            continue
        xs, ys, errs = zip(*points)
        marker = markers[lay.drivers.index(name.driver) % len(markers)]
        ax.errorbar(xs, ys, yerr=errs, marker=marker, capsize=3,
                    color=colors[name.runtime],
                    label=f"{name.runtime}/{name.driver}")
        drawn = True
    ax.set_yscale("log")
    ax.set_xticks(range(len(PERCENTILES)), [p for p, _ in PERCENTILES])
    ax.set_xlabel("percentile")
    ax.set_ylabel("RTT (us)")
    ax.set_title(load)
    if drawn:
        ax.legend(fontsize=7)
    return drawn


def percentile_figure(results: Results, lay: Layout, path: str) -> Optional[str]:
    fig, axes = plt.subplots(1, len(lay.loads), sharey=True, squeeze=False,
                             figsize=(5 * len(lay.loads) + 1, 4.5))
    drawn = [draw_percentiles(ax, lay, load)
             for ax, load in zip(axes[0], lay.loads)]
    if not any(drawn):
        plt.close(fig)
        return None
    return finish(fig, f"Latency percentiles, {title_of(lay)}",
                  lay, results, path)


def title_of(lay: Layout) -> str:
    return f"{lay.test}/{lay.variant}" if lay.variant else lay.test


def out_path(out_dir: str, stem: str, figure: str, variant: str,
             test: str = "") -> str:
    """`<stem>-<figure>[-<test>][-<variant>].png`, ':' and '/' of the variant as '_'."""
    suffix = "-" + test if test else ""
    suffix += "-" + variant.replace("/", "_").replace(":", "_") if variant else ""
    return os.path.join(out_dir, f"{stem}-{figure}{suffix}.png")


def plot_all(results: Results, out_dir: str) -> list[str]:
    """Write every figure the file has data for; return their paths."""
    stem = os.path.splitext(os.path.basename(results.path))[0]
    written: list[str] = []

    def each_layout(kind: str) -> list[tuple[Layout, str]]:
        """(layout, test to name in the file name) of every test of a kind."""
        tests = tests_of_kind(results, kind)
        return [(lay, test if len(tests) > 1 else "")
                for test in tests for params in param_sets(results, test)
                if (lay := layout(results, test, params))]

    for measure, figure in ((BANDWIDTH, "bandwidth"), (LATENCY, "latency")):
        for lay, named in each_layout(measure.kind):
            written.append(bar_figure(
                results, lay, measure,
                out_path(out_dir, stem, figure, lay.variant, named)))
    for lay, named in each_layout(LATENCY.kind):
        path = percentile_figure(
            results, lay, out_path(out_dir, stem, "latency-percentiles", lay.variant, named))
        if path:
            written.append(path)
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description="Plot netbench results (Google Benchmark JSON) as PNG.")
    parser.add_argument("file", metavar="FILE.json")
    parser.add_argument("--out", default=".", metavar="DIR",
                        help="directory for the PNGs (default: .)")
    args = parser.parse_args(argv)
    results = nbresults.load(args.file)
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as e:
        raise InputError(f"{args.out}: cannot create: {e}") from None
    written = plot_all(results, args.out)
    if not written:
        raise InputError(f"{args.file}: no case of an rr or stream test to plot")
    print("\n".join(written))
    return 0


if __name__ == "__main__":
    nbresults.run_cli(main)
