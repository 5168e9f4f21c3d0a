#!/usr/bin/python3
"""Compare two netbench runs, or two runtimes within one run.

    tools/compare.py OLD.json NEW.json [options]
    tools/compare.py --runtimes RT_OLD RT_NEW FILE.json [options]

Inputs are Google Benchmark JSON files (`netbench --benchmark_out=FILE`).
Cases are matched by run_name (in --runtimes mode: `runc/<rest>` against
`kata/<rest>`). For every matched case and metric (real_time in ns and every
user counter) the tool prints the means over repetitions, the change in
percent, the two-sided Mann-Whitney U p-value over the per-repetition values,
and a verdict:

    better / worse   p < alpha, in the metric's good / bad direction
    higher / lower   p < alpha, for an informational metric (never gated)
    same             p >= alpha
    no-test          fewer than 3 repetitions on a side
    n/a              the metric is missing on one side

A metric's direction (which way is better) and unit come from the files'
`metric:<name>` context keys: the new file's, else the old file's, else
nbresults' rules on the name. If the two files declare a different direction
(or unit) for a metric, a one-line note says so and the metric is compared
as informational. Some metrics are informational whatever the files say
(nbresults.INFORMATIONAL).

Errored cases (any repetition with error_occurred) and skipped cases (context
`skipped:<case>`) are listed in their own sections and never compared as
numbers (an errored repetition's real_time is 0).

--fail-on-regression PCT makes it a CI gate. It fails (exit 1) when any of:

    - a gated metric is worse by more than PCT percent with p < alpha;
    - a case errored in the new file (any repetition);
    - a case measured in the old file (present and not errored) is missing
      from the new file, or skipped in it (`skipped:<case>`);
    - a gated metric of a case measured on both sides cannot be judged: fewer
      than 3 repetitions on a side, or the metric absent on one (UNTESTED).

--allow-missing lets missing and skipped-in-new cases pass: they are still
listed, one line each, but do not fail the gate. A case that errored in the
old file only is not a failure of the new build: there is no baseline to
compare it with, so the gate lists it as unchecked and passes it (if it
errors in the new file too, that fails). With --runtimes the same rules
hold between the two runtimes: a case the new runtime skips (kata/host)
fails the gate unless --allow-missing. Each failure is one line of the
gate output (stdout; stderr with --json, where the JSON also has a "gate"
object), then one summary line `gate: ... -> pass|FAIL`.

Testbeds: two files whose context `backend` differs, or whose
`address_plan:<driver>` differs for a driver both files describe, measured
different things. The gate refuses them (exit 2, one line naming what
differs) unless --cross-backend is given; a plain comparison (no
--fail-on-regression) compares them and prints one `note:` line (stderr
with --json). A key missing from either file (files written before netbench
recorded them) is no difference. --runtimes compares within one file, so
never differs.

Exit status: 0 compared (and, with --fail-on-regression, the gate passed);
1 the gate failed; 2 bad input, or the gate refused files from different
testbeds.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from scipy.stats import mannwhitneyu

import nbresults
from nbresults import Case, InputError, MetricSpec, Results

MIN_REPS = 3


@dataclass
class Side:
    """One side of a comparison: cases and skipped cases by comparison key."""

    label: str
    cases: dict[str, Case]
    skipped: dict[str, str]   # key without Google Benchmark suffixes -> reason
    metric_specs: dict[str, MetricSpec] = field(default_factory=dict)


@dataclass
class Row:
    case: str
    metric: str
    direction: str
    unit: str
    old: Optional[float]
    new: Optional[float]
    old_n: int
    new_n: int
    change_pct: Optional[float]
    p_value: Optional[float]
    verdict: str

    def worse_pct(self) -> Optional[float]:
        """How much worse in percent (negative: better), for gated metrics."""
        if self.change_pct is None or self.direction == "info":
            return None
        return self.change_pct if self.direction == "lower" else -self.change_pct


@dataclass
class Report:
    old: Side
    new: Side
    alpha: float
    rows: list[Row] = field(default_factory=list)
    errored: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Optional[str]]] = field(default_factory=list)
    only_in_old: list[str] = field(default_factory=list)
    only_in_new: list[str] = field(default_factory=list)
    disagreements: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class MetricView:
    """How a metric is compared: its direction and unit, and why the files disagree."""

    direction: str
    unit: str
    disagreement: Optional[str] = None   # one line, when the files disagree


def file_side(results: Results) -> Side:
    return Side(results.path, dict(results.cases), dict(results.skipped),
                dict(results.metric_specs))


def runtime_side(results: Results, runtime: str) -> Side:
    """The cases of one runtime, keyed by the name without `runtime/`."""
    prefix = runtime + "/"
    cases = {name[len(prefix):]: case for name, case in results.cases.items()
             if name.startswith(prefix)}
    skipped = {name[len(prefix):]: reason
               for name, reason in results.skipped.items()
               if name.startswith(prefix)}
    if not cases and not skipped:
        raise InputError(f"{results.path}: no case of runtime {runtime!r}")
    return Side(f"{runtime} in {results.path}", cases, skipped,
                dict(results.metric_specs))


def u_test(old: list[float], new: list[float]) -> Optional[float]:
    """Two-sided Mann-Whitney U p-value, None with too few repetitions."""
    if min(len(old), len(new)) < MIN_REPS:
        return None
    p = float(mannwhitneyu(old, new, alternative="two-sided").pvalue)
    return None if math.isnan(p) else p


def change_pct(old: Optional[float], new: Optional[float]) -> Optional[float]:
    """Change in percent of old; None when undefined (old 0, new not)."""
    if old is None or new is None:
        return None
    if old == 0:
        return 0.0 if new == 0 else None
    return (new - old) / abs(old) * 100.0


def verdict(direction: str, old: Optional[float], new: Optional[float],
            p: Optional[float], alpha: float) -> str:
    if old is None or new is None:
        return "n/a"
    if p is None:
        return "no-test"
    if p >= alpha or new == old:
        return "same"
    if direction == "info":
        return "higher" if new > old else "lower"
    improved = new < old if direction == "lower" else new > old
    return "better" if improved else "worse"


def metric_view(metric: str, old: Optional[MetricSpec],
                new: Optional[MetricSpec]) -> MetricView:
    """Direction and unit from the new file, else the old, else the name rules;
    informational, with a one-line note, when both files declare different ones."""
    old, new = old or MetricSpec(), new or MetricSpec()
    clashes = []
    if old.better and new.better and old.better != new.better:
        clashes.append(f"better={old.better} in old, better={new.better} in new")
    if metric not in nbresults.TIME_FIELDS and old.unit and new.unit \
            and old.unit != new.unit:   # time fields are converted to ns on loading
        clashes.append(f"unit={old.unit} in old, unit={new.unit} in new")
    unit = "ns" if metric in nbresults.TIME_FIELDS else (new.unit or old.unit or "")
    if clashes:
        return MetricView("info", unit, f"the files disagree on {metric}: "
                          f"{'; '.join(clashes)}; compared as informational, never gated")
    return MetricView(nbresults.direction(metric, new.better or old.better), unit)


def compare_metric(key: str, metric: str, old: Case, new: Case,
                   alpha: float, view: Optional[MetricView] = None) -> Row:
    view = view or metric_view(metric, None, None)
    old_values, new_values = old.values(metric), new.values(metric)
    old_mean, new_mean = old.mean(metric), new.mean(metric)
    p = u_test(old_values, new_values)
    return Row(key, metric, view.direction, view.unit,
               old_mean, new_mean, len(old_values), len(new_values),
               change_pct(old_mean, new_mean), p,
               verdict(view.direction, old_mean, new_mean, p, alpha))


def metrics_for(old: Case, new: Case, wanted: Optional[list[str]]) -> list[str]:
    """The metrics to compare for a pair of cases, in a stable order."""
    present = list(dict.fromkeys(old.metrics() + new.metrics()))
    if wanted is None:
        return present
    return [m for m in wanted if m in present or m in nbresults.TIME_FIELDS]


def errored_entry(side: str, key: str, case: Case) -> dict[str, Any]:
    return {"side": side, "case": key, "run_name": case.run_name,
            "errored_reps": len(case.errors), "reps": len(case.reps),
            "message": case.error_summary}


def compare(old: Side, new: Side, alpha: float,
            metrics: Optional[list[str]] = None) -> Report:
    report = Report(old, new, alpha)
    for side_name, side, other, only_here in (
            ("old", old, new, report.only_in_old),
            ("new", new, old, report.only_in_new)):
        for key, case in side.cases.items():
            if case.errored:
                report.errored.append(errored_entry(side_name, key, case))
            elif key not in other.cases and \
                    nbresults.base_name(key) not in other.skipped:
                only_here.append(key)
    report.skipped = [{"case": key, "old": old.skipped.get(key),
                       "new": new.skipped.get(key)}
                      for key in dict.fromkeys([*old.skipped, *new.skipped])]
    views: dict[str, MetricView] = {}
    for key, old_case in old.cases.items():
        new_case = new.cases.get(key)
        if new_case is None or old_case.errored or new_case.errored:
            continue
        for m in metrics_for(old_case, new_case, metrics):
            if m not in views:
                views[m] = metric_view(m, old.metric_specs.get(m), new.metric_specs.get(m))
            report.rows.append(compare_metric(key, m, old_case, new_case, alpha, views[m]))
    report.disagreements = [{"metric": m, "message": v.disagreement}
                            for m, v in views.items() if v.disagreement]
    return report


def regressions(report: Report, pct: float,
                gated: tuple[str, ...] = nbresults.DEFAULT_GATED) -> list[Row]:
    """Rows of gated metrics worse by more than pct percent with p < alpha."""
    return [row for row in report.rows
            if row.metric in gated and row.verdict == "worse"
            and (row.worse_pct() or 0.0) > pct]


@dataclass
class Gate:
    """What --fail-on-regression decides, and every case it fails or passes unchecked."""

    pct: float
    alpha: float
    allow_missing: bool
    regressions: list[Row]
    errored: list[dict[str, Any]]          # errored in new (errored_entry)
    missing: list[str]                     # measured in old, absent from new
    skipped: list[dict[str, str]]          # measured in old, skipped in new: case, reason
    unchecked: list[str]                   # errored in old only: no baseline
    # Gated metrics of cases measured on both sides that the gate could not judge: fewer than
    # MIN_REPS repetitions on a side ("no-test"), or the metric absent on one side ("n/a").
    untested: list[Row] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.regressions or self.errored or self.untested
                    or (not self.allow_missing and (self.missing or self.skipped)))


def gate(report: Report, pct: float, gated: tuple[str, ...] = nbresults.DEFAULT_GATED,
         allow_missing: bool = False) -> Gate:
    """The gate's verdict on a report (see the module docstring)."""
    old, new = report.old, report.new
    skipped = [{"case": key, "reason": new.skipped[nbresults.base_name(key)]}
               for key, case in old.cases.items()
               if not case.errored and key not in new.cases
               and nbresults.base_name(key) in new.skipped]
    unchecked = [key for key, case in old.cases.items()
                 if case.errored and not (key in new.cases and new.cases[key].errored)]
    untested = [row for row in report.rows
                if row.metric in gated and row.verdict in ("no-test", "n/a")]
    return Gate(pct, report.alpha, allow_missing, regressions(report, pct, gated),
                [e for e in report.errored if e["side"] == "new"],
                list(report.only_in_old), skipped, unchecked, untested)


def testbed_differences(old: Results, new: Results) -> list[str]:
    """How the two files' testbeds differ, one item per key: `backend`, and
    `address_plan:<driver>` where both files have it. A key one file lacks is
    no difference."""
    a, b = old.testbed(), new.testbed()
    out = []
    for key in a:
        if key in b and a[key] != b[key]:
            out.append(f"backend {a[key]!r} in old, {b[key]!r} in new"
                       if key == nbresults.BACKEND_KEY else f"{key} differs")
    return out


def fmt_pct(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:+.1f}%"


def fmt_p(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.4f}"


def align(rows: list[list[str]], right: set[int]) -> list[str]:
    """Columns padded to a common width; `right` columns right-aligned."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.rjust(w) if i in right else cell.ljust(w)
                      for i, (cell, w) in enumerate(zip(r, widths))).rstrip()
            for r in rows]


def format_rows(rows: list[Row]) -> list[str]:
    table = [["case", "metric", "old", "new", "change", "p-value", "reps",
              "verdict"]]
    previous = None
    for row in rows:
        metric = f"{row.metric} ({row.unit})" if row.unit else row.metric
        table.append(["" if row.case == previous else row.case, metric,
                      nbresults.fmt_number(row.old),
                      nbresults.fmt_number(row.new), fmt_pct(row.change_pct),
                      fmt_p(row.p_value), f"{row.old_n}/{row.new_n}",
                      row.verdict])
        previous = row.case
    return align(table, right={2, 3, 4, 5, 6})


def skip_reason(entry: dict[str, Optional[str]]) -> list[str]:
    """[side(s), reason]: one row when both sides skipped it alike."""
    old, new = entry["old"], entry["new"]
    if old == new:
        return ["old+new", str(old)]
    if old and new:
        return ["old+new", f"old: {old}; new: {new}"]
    return ["old", str(old)] if old else ["new", str(new)]


def format_report(report: Report, notes: Optional[list[str]] = None) -> str:
    lines = [f"old: {report.old.label}", f"new: {report.new.label}",
             f"means over repetitions; two-sided Mann-Whitney U, "
             f"alpha {report.alpha:g}"]
    lines += [f"note: {d['message']}" for d in report.disagreements]
    lines += notes or []
    lines.append("")
    lines += format_rows(report.rows) if report.rows else ["(no case to compare)"]
    if report.errored:
        lines += ["", "Errored cases (not compared):"]
        lines += align([["  " + e["side"], e["case"],
                         f"{e['errored_reps']}/{e['reps']} reps",
                         e["message"]] for e in report.errored], right=set())
    if report.skipped:
        lines += ["", "Skipped cases (not run):"]
        lines += align([["  " + s["case"], *skip_reason(s)]
                        for s in report.skipped], right=set())
    for side, keys in (("old", report.only_in_old), ("new", report.only_in_new)):
        if keys:
            lines += ["", f"Only in {side}:"] + [f"  {k}" for k in keys]
    return "\n".join(lines)


def gate_lines(g: Gate) -> list[str]:
    """One line per failing (or allowed, or unchecked) case, then a summary line."""
    allowed = " (allowed: --allow-missing)" if g.allow_missing else ""
    lines = [f"REGRESSION {r.case} {r.metric}: {nbresults.fmt_number(r.old)}"
             f" -> {nbresults.fmt_number(r.new)} ({fmt_pct(r.change_pct)},"
             f" p={fmt_p(r.p_value)})" for r in g.regressions]
    lines += [f"ERRORED {e['case']}: {e['errored_reps']}/{e['reps']} reps errored "
              f"in new: {e['message']}" for e in g.errored]
    lines += [f"MISSING {key}: measured in old, absent from new{allowed}"
              for key in g.missing]
    lines += [f"SKIPPED {s['case']}: measured in old, skipped in new: {s['reason']}{allowed}"
              for s in g.skipped]
    lines += [f"UNCHECKED {key}: errored in old, no baseline to compare with "
              f"(not a failure of new)" for key in g.unchecked]
    lines += [f"UNTESTED {r.case} {r.metric}: "
              + (f"fewer than {MIN_REPS} repetitions on a side" if r.verdict == "no-test"
                 else "the metric is missing on one side")
              + " (a gate cannot judge it)" for r in g.untested]
    parts = [f"{len(g.regressions)} significant regression(s)" if g.regressions
             else "no significant regression"]
    parts[0] += f" beyond {g.pct:g}% at alpha {g.alpha:g}"
    if g.errored:
        parts.append(f"{len(g.errored)} case(s) errored in new")
    if g.missing:
        parts.append(f"{len(g.missing)} measured case(s) missing from new{allowed}")
    if g.skipped:
        parts.append(f"{len(g.skipped)} measured case(s) skipped in new{allowed}")
    if not (g.errored or g.missing or g.skipped):
        parts.append("nothing errored, missing or skipped in new")
    if g.unchecked:
        parts.append(f"{len(g.unchecked)} case(s) unchecked (errored in old)")
    if g.untested:
        parts.append(f"{len(g.untested)} gated metric(s) untested")
    lines.append(f"gate: {'; '.join(parts)} -> {'FAIL' if g.failed else 'pass'}")
    return lines


def gate_json(g: Gate) -> dict[str, Any]:
    return {"passed": not g.failed, "fail_on_regression": g.pct,
            "allow_missing": g.allow_missing,
            "regressions": [asdict(r) for r in g.regressions],
            "errored_in_new": g.errored, "missing_from_new": g.missing,
            "skipped_in_new": g.skipped, "unchecked_errored_in_old": g.unchecked,
            "untested": [asdict(r) for r in g.untested]}


def report_json(report: Report, g: Optional[Gate],
                testbed: list[str]) -> dict[str, Any]:
    return {
        "old": report.old.label, "new": report.new.label,
        "alpha": report.alpha, "fail_on_regression": None if g is None else g.pct,
        "comparisons": [asdict(r) for r in report.rows],
        "errored": report.errored, "skipped": report.skipped,
        "only_in_old": report.only_in_old, "only_in_new": report.only_in_new,
        "disagreements": report.disagreements,
        "testbed_differences": testbed,
        "regressions": None if g is None else [asdict(r) for r in g.regressions],
        "gate": None if g is None else gate_json(g),
    }


def split_metrics(values: Optional[list[str]]) -> Optional[list[str]]:
    if not values:
        return None
    return [m for v in values for m in v.split(",") if m]


def check_metrics(wanted: Optional[list[str]], sides: list[Side]) -> None:
    if wanted is None:
        return
    known = set(nbresults.TIME_FIELDS)
    for side in sides:
        for case in side.cases.values():
            known.update(case.metrics())
    unknown = [m for m in wanted if m not in known]
    if unknown:
        raise InputError(f"no such metric in the inputs: {', '.join(unknown)}")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Compare netbench results (Google Benchmark JSON).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""\
With --fail-on-regression PCT the gate fails (exit 1) when a gated metric is
significantly worse by more than PCT percent, when a case errored in the new
file, or when a case measured in the old file is missing from the new file
or skipped in it (--allow-missing lists those without failing), or when a
gated metric cannot be judged (fewer than 3 repetitions, absent). A case that
errored only in the old file is listed as unchecked, not failed. The gate
refuses (exit 2) files whose `backend` or a shared `address_plan:<driver>`
differs, unless --cross-backend; without the gate that is one note line.

Exit status: 0 compared / gate passed, 1 gate failed, 2 bad input or
refused (different testbeds).""")
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="OLD.json NEW.json, or one FILE with --runtimes")
    parser.add_argument("--runtimes", nargs=2, metavar=("OLD_RT", "NEW_RT"),
                        help="compare two runtimes within one file")
    parser.add_argument("--json", action="store_true",
                        help="print machine-readable JSON instead of a table")
    parser.add_argument("--alpha", type=float, default=0.05,
                        help="significance level of the U test (default 0.05)")
    parser.add_argument("--fail-on-regression", type=float, metavar="PCT",
                        help="gate: exit 1 if a gated metric is significantly worse "
                             "by more than PCT percent, or a case errored in new, or "
                             "a case measured in old is missing or skipped in new")
    parser.add_argument("--allow-missing", action="store_true",
                        help="gate: cases measured in old but missing or skipped in "
                             "new are listed, not failed")
    parser.add_argument("--cross-backend", action="store_true",
                        help="gate even files whose backend or address plan differs "
                             "(else exit 2)")
    parser.add_argument("--gate-metrics", nargs="+", metavar="METRIC",
                        help="metrics the gate may fail on (default: "
                             + ", ".join(nbresults.DEFAULT_GATED) + ")")
    parser.add_argument("--metrics", nargs="+", metavar="METRIC",
                        help="only these metrics (names or comma lists); put "
                             "the files before this option or after `--`")
    args = parser.parse_args(argv)
    expected = 1 if args.runtimes else 2
    if len(args.files) != expected:
        parser.error(f"expected {expected} file(s), got {len(args.files)}")
    if not 0 < args.alpha < 1:
        parser.error("--alpha must be between 0 and 1")
    return args


def testbed_note(differences: list[str], gating: bool) -> str:
    """The one-line note for a comparison across testbeds."""
    why = ("gated anyway: --cross-backend" if gating else
           "--fail-on-regression refuses this without --cross-backend")
    return f"note: different testbeds: {'; '.join(differences)} ({why})"


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    pct = args.fail_on_regression
    testbed: list[str] = []
    if args.runtimes:
        results = nbresults.load(args.files[0])
        old, new = (runtime_side(results, rt) for rt in args.runtimes)
    else:
        old_results, new_results = (nbresults.load(f) for f in args.files)
        testbed = testbed_differences(old_results, new_results)
        if testbed and pct is not None and not args.cross_backend:
            raise InputError(f"refusing to gate results of different testbeds: "
                             f"{'; '.join(testbed)} (--cross-backend overrides)")
        old, new = file_side(old_results), file_side(new_results)
    metrics = split_metrics(args.metrics)
    check_metrics(metrics, [old, new])
    report = compare(old, new, args.alpha, metrics)
    gate_metrics = split_metrics(args.gate_metrics)
    check_metrics(gate_metrics, [old, new])  # a misspelled name would gate nothing
    gated = tuple(gate_metrics or nbresults.DEFAULT_GATED)
    g = None if pct is None else gate(report, pct, gated, args.allow_missing)
    notes = [testbed_note(testbed, pct is not None)] if testbed else []
    if args.json:
        print(json.dumps(report_json(report, g, testbed), indent=2))
        for d in report.disagreements:
            print(f"note: {d['message']}", file=sys.stderr)
        for note in notes:
            print(note, file=sys.stderr)
    else:
        print(format_report(report, notes))
    if g is None:
        return 0
    lines = "\n".join(gate_lines(g))
    if args.json:
        print(lines, file=sys.stderr)
    else:
        print("\n" + lines)
    return 1 if g.failed else 0


if __name__ == "__main__":
    nbresults.run_cli(main)
