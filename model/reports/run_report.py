"""The sections of a report on one run, optionally against its baseline: the question, the
differences, headline outcomes with honest bands, the charts, and which outcomes rest on assumptions.

Every number is computed here from the run's monthly table and manifest (model/results/outcomes.py,
model/inputs/draws.py) and formatted for the report's language; nothing is typed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from model.inputs.errors import InputError
from model.inputs.registry import Registry
from model.inputs.scenario import resolve
from model.presentation.charts import Line, grouped_bar_chart, line_chart
from model.presentation.fiscal import strain_warning
from model.presentation.numbers import band_scale, format_percent, format_share_interval
from model.reports.sections import format_headline, schedule_text, value_text
from model.reports.text import TEXT
from model.results.marks import MIN_REPLICATES_FOR_MARKS, assumption_marks
from model.results.bands import bands
from model.results.comparison import probability_better
from model.results.outcomes import OUTCOMES, Outcome, outcome_table, paired_difference, summary, what_if_period
from model.results.yearly import left_behind


@dataclass(frozen=True)
class Run:
    """One run's results, from a results directory or from memory (a RunResult has the same fields)."""

    monthly: pd.DataFrame
    compounds: pd.DataFrame
    manifest: dict


def question(run: Run, baseline: Run | None, lang: str) -> dict:
    text = TEXT[lang]
    compared = (text["compared_with"].format(name=baseline.manifest["scenario"], hash=baseline.manifest["scenario_hash"])
                if baseline else None)
    return {"name": run.manifest["scenario"],
            "description": (run.manifest.get("description") or "").strip() or text["no_description"],
            "compared": compared}


def differences(run: Run, baseline: Run | None, registry: Registry, lang: str) -> dict:
    """The parameters whose schedules differ from the baseline's (the given baseline run, or else the
    shipped baseline scenario, i.e. the registry's values), and with a baseline run the run settings."""
    text = TEXT[lang]
    ours = run.manifest["resolved"]["parameters"]
    theirs = (baseline.manifest["resolved"]["parameters"] if baseline
              else resolve("baseline", county=registry.county.directory).canonical()["parameters"])
    rows = []
    for key in sorted(k for k in ours.keys() | theirs.keys() if ours.get(k) != theirs.get(k)):
        param = registry.parameters.get(key)
        rows.append({"key": key, "label": getattr(param.label, lang) if param else "",
                     "role": text[f"role_{param.role}"] if param else "",
                     "baseline": schedule_text(theirs[key], lang) if key in theirs else "–",
                     "scenario": schedule_text(ours[key], lang) if key in ours else "–"})
    settings = []
    if baseline:
        for name in ("scale", "seed", "replicates", "start", "end", "policy_start"):
            a, b = baseline.manifest.get(name), run.manifest.get(name)
            if a != b:
                settings.append({"label": text[name], "baseline": str(a), "scenario": str(b)})
    intro = text["differences_baseline" if baseline else "differences_registry"]
    return {"intro": intro if rows else text["no_differences"], "rows": rows, "settings": settings}


def _cells(values: pd.Series, outcome: Outcome, lang: str, banded: bool, signed: bool = False) -> tuple[str, str]:
    """The outcome's statistic and its 5-95% band across replicates, as text."""
    centre, low, high = summary(values, outcome)
    like = band_scale(low, high)
    band = (f"{format_headline(low, outcome.kind, lang, signed, like)} – "
            f"{format_headline(high, outcome.kind, lang, signed, like)}" if banded else "–")
    return format_headline(centre, outcome.kind, lang, signed), band


def _statistic(lang: str) -> str:
    """The catalogue's statistic, in words (one for every outcome; the catalogue says which)."""
    (statistic,) = {o.statistic for o in OUTCOMES}
    return TEXT[lang][f"statistic_{statistic}"]


def _sure(ours: pd.Series, theirs: pd.Series, outcome: Outcome, run: Run, baseline: Run, lang: str) -> str:
    """In how many paired draws the run beats its baseline (`renewal compare`'s probability), in words."""
    share = probability_better(ours, theirs, outcome)
    if share is None:
        return TEXT[lang]["compare_no_direction"]
    words = TEXT[lang]["compare_better_draws" if run.manifest.get("parameter_draws") else "compare_better_seeds"]
    return words.format(a=run.manifest["scenario"], b=baseline.manifest["scenario"], share=f"{100 * share:.0f}%")


def headlines(run: Run, baseline: Run | None, marked: set[str], lang: str) -> dict:
    """Headline outcomes with 5-95% bands across replicates, and against a baseline their
    difference (replicate by replicate when both runs share their seeds)."""
    text = TEXT[lang]
    period = what_if_period(run.manifest)
    ours = outcome_table(run.monthly, period)
    theirs = None
    if baseline:
        months = set(baseline.monthly["month"])
        if not {period[0], period[1]} <= months:
            raise InputError("--baseline", None, f"the baseline covers {baseline.manifest['start']} to "
                             f"{baseline.manifest['end']}; this run's outcomes need {period[0]} to {period[1]}")
        theirs = outcome_table(baseline.monthly, period)
    paired = baseline is not None and baseline.manifest.get("seeds") == run.manifest.get("seeds")
    rows = []
    for o in OUTCOMES:
        row = {"name": o.name, "label": o.label(lang), "marked": o.name in marked}
        row["value"], row["band"] = _cells(ours[o.name], o, lang, len(ours) > 1)
        if theirs is not None:
            row["baseline_value"], row["baseline_band"] = _cells(theirs[o.name], o, lang, len(theirs) > 1)
            if paired:
                differences = ours[o.name] - theirs[o.name]
                row["difference"], row["difference_band"] = _cells(differences, o, lang, len(ours) > 1, signed=True)
                if len(ours) > 1 and paired_difference(ours[o.name], theirs[o.name], o)[3]:
                    row["difference"] += text["within_noise"]
                row["sure"] = _sure(ours[o.name], theirs[o.name], o, run, baseline, lang)
            else:
                difference = summary(ours[o.name], o)[0] - summary(theirs[o.name], o)[0]
                row["difference"] = format_headline(difference, o.kind, lang, signed=True)
                row["difference_band"] = "–"
        rows.append(row)
    replicates = len(ours)
    draws = run.manifest.get("parameter_draws")
    band = text["band_single"] if replicates == 1 else text["band_draws" if draws else "band_seed"].format(n=replicates)
    notes = [text["headline_period"].format(first=period[0], end=period[1]), text["headline_statistic"].format(statistic=_statistic(lang)), band]
    if run.manifest["scale"] != 1.0:
        notes.append(text["scale_note"].format(scale=run.manifest["scale"]))
    if baseline:
        notes.append(text["paired" if paired else "unpaired"])
        if paired and replicates > 1:
            notes.append(text["noise_note"].format(statistic=_statistic(lang)))
    if marked:
        notes.append(text["mark_legend"])
    strain = strain_warning(run.monthly, run.manifest, lang)
    if strain:
        notes.append(strain)
    return {"rows": rows, "notes": notes, "with_baseline": baseline is not None}


def assumptions(run: Run, registry: Registry, lang: str) -> dict:
    """Which headline outcomes depend mainly on assumed parameters, from the run's own parameter draws
    (model/inputs/draws.py); a run without enough draws says so and how to get them."""
    text = TEXT[lang]
    draws = run.manifest.get("parameter_draws")
    if not draws:
        return {"message": text["no_draws"], "rows": [], "marked": set()}
    if len(draws) < MIN_REPLICATES_FOR_MARKS:
        return {"message": text["too_few_draws"].format(n=len(draws), minimum=MIN_REPLICATES_FOR_MARKS),
                "rows": [], "marked": set()}
    outcomes = outcome_table(run.monthly, what_if_period(run.manifest))
    marks = assumption_marks(outcomes.reset_index(drop=True), pd.DataFrame(draws), registry)
    rows = []
    for o in OUTCOMES:
        mark = marks.loc[o.name]
        if outcomes[o.name].nunique() == 1:
            rows.append({"label": o.label(lang), "assumed": "–", "calibrated": "–", "other": "–",
                         "depends": text["no_variation"], "main": []})
            continue
        rows.append({"label": o.label(lang),
                     "assumed": format_share_interval(mark["assumed_share"], mark["assumed_low"], mark["assumed_high"], lang),
                     "calibrated": format_percent(mark["calibrated_share"], lang, 0),
                     "other": format_percent(mark["other_share"], lang, 0),
                     "depends": text["yes"] if mark["depends_on_assumptions"] else text["no"],
                     "main": [f"{getattr(registry[k].label, lang)} ({k})" for k in mark["main_assumptions"]]})
    marked = {o.name for o in OUTCOMES if marks.loc[o.name, "depends_on_assumptions"]}
    return {"message": text["assumptions_explained"], "rows": rows, "marked": marked}


def parameter_values(run: Run, lang: str) -> dict[str, str]:
    """Every parameter the run used, as text: its resolved schedule, or the range of its drawn values."""
    values = {key: schedule_text(schedule, lang) for key, schedule in run.manifest["resolved"]["parameters"].items()}
    draws = run.manifest.get("parameter_draws") or []
    for key in sorted({k for draw in draws for k in draw}):
        drawn = [draw[key] for draw in draws if key in draw]
        values[key] = TEXT[lang]["drawn"].format(low=value_text(min(drawn), lang), high=value_text(max(drawn), lang),
                                                 n=len(drawn), value=values.get(key, "–"))
    return values


def figures(run: Run, baseline: Run | None, lang: str) -> dict[str, tuple[str, Figure]]:
    """The main charts by file name, each with its caption in the report's language: population,
    renovations to date, market entities, and who lives with unresolved problems by income quintile (scenario and
    baseline side by side)."""
    words = TEXT[lang]
    runs = {f"{words['scenario']}: {run.manifest['scenario']}": run}
    if baseline:
        runs[f"{words['baseline']}: {baseline.manifest['scenario']}"] = baseline
    policy = run.manifest["policy_start"]

    def over_time(measure: str, title: str, cumulative: bool = False) -> Figure:
        lines = [Line(label, bands(r.monthly, [measure], cumulative=cumulative).set_index("period"), colour)
                 for colour, (label, r) in enumerate(runs.items())]
        return line_chart(lines, words[title], lang, policy_start=policy, policy_label=words["policy"])

    charts = {
        "population": over_time("population", "chart_population"),
        "renovated": over_time("compounds_completed", "chart_renovated", cumulative=True),
        "businesses": over_time("businesses", "chart_businesses"),
        "unresolved": grouped_bar_chart({label: left_behind(r.monthly)["unresolved"] for label, r in runs.items()},
                                        words["chart_unresolved"], words["quintile"], percent=True),
    }
    return {name: (words[f"chart_{name}"], figure) for name, figure in charts.items()}
