"""The figures as a console table and as benchmarks/RESULTS.md."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from benchmarks import APP_DEFAULT
from benchmarks.timing import Stat
from model.results.marks import SCREENING_REPLICATES


@dataclass(frozen=True)
class Line:
    """One figure of the summary: what, how much, against which target."""

    figure: str
    measured: str
    target: str = "-"
    met: bool | None = None

    @property
    def verdict(self) -> str:
        return {True: "met", False: "NOT met", None: "-"}[self.met]


def summary(r: dict) -> list[Line]:
    model, process, peer = r["model"], r["process"], r["peer"]
    largest = max(peer, key=lambda row: row["households"])
    peak = max(p.peak_mb for p in process)
    return [
        Line("full-scale baseline, model time (s)", f"{model.wall.show()}; CPU {model.cpu.median:.2f}", "<= 5 s",
             model.wall.median <= 5),
        Line("full-scale baseline, whole process (s)", Stat.of([p.wall for p in process]).show()),
        Line("full-scale baseline, peak memory (MB)", f"{peak:.0f}", "<= 1024 MB", peak <= 1024),
        Line(f"vectorised / per-object step at {largest['households']:,} households",
             f"{largest['ratio']:.0f}x", ">= 50x", largest["ratio"] >= 50),
        Line("time per step against agents, fitted exponent", f"{r['exponent']:.2f}", "<= 1.1", r["exponent"] <= 1.1),
        Line(f"app default (scale {APP_DEFAULT['scale']}, {APP_DEFAULT['replicates']} replicates with draws, "
             f"{APP_DEFAULT['workers']} workers), a moved slider to results (s)", f"{r['app'].wall.show()}; CPU {r['app'].cpu.median:.2f}", "<= 1 s",
             r["app"].wall.median <= 1),
        Line("the app served, in headless Chromium on this machine: a moved slider to the new headline (s)",
             r["browser"]["moves"].show() if r["browser"] else "no chromium", "<= 2 s",
             r["browser"]["moves"].median <= 2 if r["browser"] else None),
        *_cold_lines(r.get("cold")),
        Line("sweep throughput at scale 0.1 (runs/min)",
             f"{r['sweep']['serial_per_min']:.0f} serial, {r['sweep']['pool_per_min']:.0f} with 2 processes"),
    ]


def _cold_lines(cold: dict | None) -> list[Line]:
    """Issue 16's thresholds, from a fresh server whose disk cache `renewal prepare-app` filled."""
    if cold is None:
        return [Line("the app from a fresh server, prepared cache", "no chromium")]
    return [Line("fresh server, prepared cache: the first headline after the page is asked for (s)",
                 cold["first"].show(), "<= 5 s", cold["first"].median <= 5),
            Line("fresh server, prepared cache: a moved lever to its headline, 4 replicates (s)",
                 cold["lever"].show(), "<= 1 s", cold["lever"].median <= 1),
            Line("fresh server, prepared cache: a policy start moved a month to its headline (s)",
                 cold["policy_start"].show(), "<= 3 s", cold["policy_start"].median <= 3)]


def console(lines: list[Line]) -> str:
    width = max(len(line.figure) for line in lines)
    measured = max(len(line.measured) for line in lines)
    rows = [f"{'figure':<{width}}  {'measured':<{measured}}  {'target':<10}  verdict"]
    rows += [f"{line.figure:<{width}}  {line.measured:<{measured}}  {line.target:<10}  {line.verdict}" for line in lines]
    return "\n".join(rows)


def _table(header: list[str], rows: list[list]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(out)


def fixed_and_marginal(scaling: list[dict]) -> tuple[float, float]:
    """Seconds per month that do not grow with the county, and seconds per agent-month (least squares)."""
    per_agent, fixed = np.polyfit([row["agents"] for row in scaling], [row["step"].median for row in scaling], 1)
    return float(fixed), float(per_agent)


def markdown(r: dict) -> str:
    lines = summary(r)
    fixed, per_agent = fixed_and_marginal(r["scaling"])
    months = r["months"]
    parts = [
        "# Benchmarks: how fast the county model runs",
        "",
        f"Written by `make bench` (`python -m benchmarks.run{' --quick' if r['quick'] else ''}`) on {r['date']}. "
        "Seconds are wall-clock unless marked CPU; *median [min-max, n=runs]*. The targets are those of "
        "issue 7: reported here, not asserted by tests. What each figure means and how to read it: "
        "docs/performance.md.",
        "",
        "## Summary",
        "",
        _table(["figure", "measured", "target", "verdict"], [[x.figure, x.measured, x.target, x.verdict] for x in lines]),
        "",
        "## Machine",
        "",
        _table(["", ""], [[k, v] for k, v in r["machine"].items()]),
        "",
        f"Load averages (1/5/15 min) at the start: {r['load_start']}; at the end: {r['load_end']}. A load above "
        "the number of cores means other processes were competing for them: wall-clock times are then "
        "longer than on a quiet machine, and CPU seconds are the steadier figure.",
        "",
        "## Full-scale baseline (scale 1.0, 2014-01 to 2035-12)",
        "",
        f"- Model time, `model.run(\"baseline\")` in a warm process (county built, {months} months, tables in "
        f"memory): {r['model'].wall.show()} s; CPU {r['model'].cpu.show()} s.",
        f"- Whole process, `renewal run --quiet --out DIR` (interpreter start, imports, run, Parquet and "
        f"manifest written): {Stat.of([p.wall for p in r['process']]).show()} s; CPU "
        f"{Stat.of([p.cpu for p in r['process']]).show()} s.",
        f"- Peak resident memory of that process: {Stat.of([p.peak_mb for p in r['process']]).show('{:.0f}')} MB.",
        "",
        "## Scaling: time per month against the number of agents",
        "",
        "Agents are households (resident or away) and businesses, averaged over the run's months.",
        "",
        _table(["scale", "agents", "ms per month"],
               [[row["scale"], f"{row['agents']:,.0f}", _ms(row["step"])] for row in r["scaling"]]),
        "",
        f"Fitted exponent (log time per month on log agents): **{r['exponent']:.2f}**. As a straight line, a month "
        f"costs {1000 * fixed:.2f} ms whatever the size of the county plus {1e6 * per_agent:.3f} microseconds per "
        "agent: at small scales the fixed part dominates, which is why the exponent is below 1.",
        "",
        "## The per-object peer",
        "",
        "The households' and businesses' decision step (demography, leaving, returning, arriving, incomes, "
        "businesses earning, closing and entering) as idiomatic per-object Mesa, `benchmarks/reference.py`: "
        "`mesa.Agent`s in the model's AgentSets, stepped with `shuffle_do`, applying the same rule functions; "
        "against the same step of the vectorised model (`DecisionsOnly`), from the same county, month by month "
        "side by side in one process (baseline months from 2014-01).",
        "",
        _table(["households", "agents (per-object)", "vectorised ms/month", "per-object s/month", "ratio",
                "building the agents (s)", "their memory (MB, traced)"],
               [[f"{row['households']:,}", f"{row['agents']:,}", _ms(row["vectorised"]), row["reference"].show(),
                 f"{row['ratio']:.0f}x", f"{row['reference_build_s']:.1f}", f"{row['reference_mb']:.0f}"]
                for row in r["peer"]]),
        "",
        "## The app's default run",
        "",
        f"A moved slider: a lever changed from the policy start, `model.run(..., scale={APP_DEFAULT['scale']}, "
        f"replicates={APP_DEFAULT['replicates']}, parameter_draws=True, workers={APP_DEFAULT['workers']})` "
        f"(`benchmarks.APP_DEFAULT`) after the baseline has run once, from the call to the results in memory: "
        f"{r['app'].wall.show()} s (CPU of the calling process {r['app'].cpu.show()} s). Each replicate resumes "
        f"from the baseline's history at the policy start (`model/results/run.py`), so only the months from 2026 on "
        f"are simulated, in {APP_DEFAULT['workers']} worker processes; a month costs mostly the fixed cost "
        f"per month above.",
        "",
        _browser(r["browser"]),
        "",
        _cold(r.get("cold")),
        "",
        f"{'Where the time goes' if r['app'].wall.median <= 1 else 'What stands in the way of 1 s'}: the run is bound by the "
        f"number of simulated months, not by the number of agents. One replicate at scale "
        f"{APP_DEFAULT['scale']}, profiled phase by phase:",
        "",
        _table(["phase", "seconds (profiled)", "share of the run"],
               [[name, f"{seconds:.2f}", f"{share:.0%}"] for name, seconds, share in r["app_phases"]]),
        "",
        _table(["function", "calls", "own seconds"], [[name, f"{calls:,}", f"{tt:.2f}"] for name, calls, tt in r["app_hot"]]),
        "",
        "Every phase costs a little each month, whatever the size of the county: a few hundred NumPy calls "
        "on small arrays, a dozen stall markets each allocating and scoring, the monthly random streams, "
        "the measures collected. The replicates already run in kept worker processes, one per core, and "
        "resume at the policy start; what is left is the months each worker simulates one after another. "
        "A cheaper month would take fewer NumPy calls per month (merging the small per-phase passes, "
        "scoring the stall markets together); more cores would take more replicates at once. A smaller "
        "scale does not help.",
        "",
        "## Sweep throughput",
        "",
        f"{r['sweep']['runs']} baseline runs at scale 0.1 (264 months each, different seeds): "
        f"{r['sweep']['serial_per_min']:.0f} runs per minute in a plain loop of `model.run`, "
        f"{r['sweep']['pool_per_min']:.0f} with a `ProcessPoolExecutor` of 2 workers (worker start included).",
        "",
        "## Where the time goes",
        "",
        f"cProfile of one `model.run(\"baseline\"{'' if r['profile_scale'] == 1.0 else ', scale=' + str(r['profile_scale'])})` "
        "(the profiler adds overhead to every call, so shares matter more than seconds). The month, "
        "phase by phase (`RenewalModel.step`), with building and the result tables:",
        "",
        _table(["phase", "seconds (profiled)", "share of the run"],
               [[name, f"{seconds:.2f}", f"{share:.0%}"] for name, seconds, share in r["phases"]]),
        "",
        "The household and business decisions inside those phases:",
        "",
        _table(["function", "seconds (profiled)", "share of the run"],
               [[name, f"{seconds:.2f}", f"{share:.0%}"] for name, seconds, share in r["decisions"]]),
        "",
        "Functions with the most time of their own:",
        "",
        _table(["function", "calls", "own seconds"], [[name, f"{calls:,}", f"{tt:.2f}"] for name, calls, tt in r["hot"]]),
        "",
        f"The per-object reference, profiled over {r['reference_months']} month{'s' if r['reference_months'] > 1 else ''} at "
        f"{r['reference_households']:,} households ({r['reference_agents']:,} agents). "
        f"{r['reference_in_rules']:.0%} of its time is spent inside the shared rule functions and parameter "
        "look-ups its agents call: functions written for whole columns, here called with single numbers, "
        "where NumPy's overhead per call dominates. A per-object model with rules hand-written for scalars "
        "would be faster, by up to that share; the ratio above should be read with that in mind. The "
        "functions with the most time of their own:",
        "",
        _table(["function", "calls", "own seconds"],
               [[name, f"{calls:,}", f"{tt:.2f}"] for name, calls, tt in r["reference_hot"]]),
        "",
        HISTORY,
    ]
    return "\n".join(parts) + "\n"


def _ms(seconds: Stat) -> str:
    return Stat(1000 * seconds.median, 1000 * seconds.low, 1000 * seconds.high, seconds.n).show()


def _browser(b: dict | None) -> str:
    if b is None:
        return "The app in a browser: not measured here (no Debian chromium; see .ci/run for its install)."
    return (f"The app served by Streamlit and driven in headless Chromium (`benchmarks/browser.py`): the first "
            f"screen, to the assumption marks (the baseline from 2014 and the preset's {SCREENING_REPLICATES}-replicate "
            f"screening), "
            f"{b['first']:.0f} s; a moved slider, from the key press to the new headline on the page, "
            f"{b['moves'].show()} s. That includes the slider's own delay, the server's rerun and the drawing, "
            f"with the browser sharing the two cores with the server's workers (a planner's browser would not): "
            f"a move kept the machine busy for {b['machine_cpu'].show()} CPU seconds, of which Chromium "
            f"{b['browser_cpu'].show()}. The app draws without animations (`STILL` in model/app/page.py): with them, "
            f"Chromium's software rendering took about twice as much during a run.")


def _cold(c: dict | None) -> str:
    if c is None:
        return "The app from a fresh server: not measured here (no Debian chromium)."
    return (f"The app from a fresh server whose disk cache `renewal prepare-app baseline` filled first "
            f"({c['preparing']:.0f} s; `benchmarks/browser.py`, `cold_starts`), each repeat a new server, served as "
            f"`make app` serves it (model/app/serve.py: the model loaded and the two workers started before the "
            f"page is asked for), and a new browser: the first headline {c['first'].show()} s after the page was "
            f"asked for, the assumption marks {c['marks'].show()} s; a moved lever (the government's share) to its "
            f"new headline {c['lever'].show()} s; the policy start moved one month, a start never run, to its new "
            f"headline {c['policy_start'].show()} s (the baseline's finished replicates reused, since the model "
            f"never reads the policy start; the setting resumed from the January checkpoint before it).")


HISTORY = """## What was done (issue 7)

Before this work the full-scale baseline took 10-13 s of model time here (about 38 ms a month).
Profiled (cProfile), the time went to whole-table passes repeated in every household method:
demography evaluated its three rules with `np.where` and `expm1` on all ~300,000 rows (a third of
the run), leaving drew a number for every household, the census recounted every household each
month, incomes were computed in double precision for every row, `collect` and `trade` made boolean
copies of whole columns, `ColumnStore.add` scanned the table for free rows, and the stall markets
spent most of their time in `np.isin` on small arrays. The rules, the order of events and the
accounting are unchanged; the random streams differ, so results differ numerically, and the
equivalence test against the per-object reference (tests/test_reference_equivalence.py) checks that
it is still the same model. What changed:

- rare events by thinning: leaving, returning and settling, and demography below the elderly age,
  draw the rows a draw with the largest type chance would pick (how many, then which) and keep each
  with its own chance over the largest, so the work follows the events, not the table;
- elderly heads get a draw each, held first against their hazards summed; only the few under it have
  their chances worked out;
- a register of residents by compound and income quintile, of the persons away and of the residents'
  earning persons by job sector, kept as households move: the census and the residents' total income
  read it; incomes are computed only for households asked to pay;
- rule tables by type gathered with `np.take`; a list of free rows; counts with `np.count_nonzero`;
  a binary search instead of `np.isin` for the stall markets' small sets of vendors.

For the app (a what-if of 120 months at scale 0.05, where the fixed cost of a month dominates): the
baseline keeps each replicate's state at the policy start and a what-if resumes from it; replicates
run in two kept worker processes; the month's measures are collected as one NumPy row (one
DataCollector reporter, where 72 reporters each had their value deep-copied by Mesa and the state
snapshot copied some 10,000 Python numbers); static masks replace `np.isin` in the monthly loop. These
last changes leave every output bit for bit the same. Measured in a real browser (headless Chromium
on this same 2-core machine), the browser competes with the two workers for the two cores: during a
run Chromium used about one CPU second of software rendering, half of it for the spinner and the
running indicator repainted every frame. The app now draws without animations, and its default went
from 8 to 6 and then 4 replicates (two per worker), which brought a moved slider's new headline under
2 s in the browser. Then the month's random streams stopped building generators: one Philox
generator per submodel, moved to the month by setting its counter (`model/simulation/streams.py`), and weighted
draws by binary search; a month at the app's scale got about a fifth cheaper. That changed every
random stream, so the calibration was run again. A planner's own browser, on another machine, sees about the server's time
(`benchmarks.app_latency`) plus the network.
"""
