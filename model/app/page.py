"""The planners' app's page, laid out with Streamlit (app.py at the project root draws it; `make app` serves it):
the interface only. Everything it shows is computed by `model/` through `model.run`; settings, links and files
are `model/app/settings.py`, words `model/app/text.py`."""

from __future__ import annotations

import dataclasses
import os
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from model.app.headlines import headline_csv, headline_table, paired_with_first, shown_for
from model.app.charts import (BASELINE, SETTING, VIEWS, ChartSpec, axis_scale, chart_data, figure_file, is_fraction,
                              vega_lite)
from model.app.settings import (APP_CACHE, APP_WORKERS, BY_KEY, COMPARISONS, CONTROLS, GROUPS, POLICY_START_RANGE,
                                RUN_BOUNDS, SCALES, SHARPEN_ENV, SHARPEN_POLL_S, SHARPEN_STAGES,
                                Control, Settings, checked, from_link, from_yaml, shipped_scenarios, shown_stage)
from model.app.sources import citation_card, fit_table, sources_table
from model.app.text import LANGUAGES, text
from model.calibration import calibrate
from model.inputs.calendar import format_month, parse_month
from model.inputs.draws import drawn_keys
from model.inputs.errors import InputError
from model.inputs.counties import shipped_counties
from model.inputs.registry import in_language, load_registry
from model.inputs.scenario import ResolvedScenario
from model.presentation.numbers import (COUNT_UNITS, format_count, format_number, format_percent, format_points,
                                        band_scale, format_share_interval, format_yuan, with_sign)
from model.presentation.fiscal import strain_warning
from model.results.bands import band_coverage
from model.results.cache import CACHE_ENV
from model.results.marks import cached_screening, screening
from model.results.outcomes import BY_OUTCOME, Outcome, identical_before
from model.results.run import RunResult, cached_run, warm_workers
from model.results.sharpen import Sharpening
from model.results.yearly import CONSTRAINTS, binding_by_year
from model.simulation.compounds import Status, names
from model.simulation.measures import BY_NAME, MEASURES

# Shared histories and screenings on disk (model/results/cache.py), kept across restarts and visitors; the
# worker processes inherit the setting. `make app` prepares them (renewal prepare-app).
os.environ.setdefault(CACHE_ENV, str(APP_CACHE))
MAX_KEPT = 3
# No animations: the browser often shares this small server's cores with the model's workers, and a
# spinner repainted every frame in software took about half a core for the whole run (benchmarks/browser.py).
STILL = "<style>*, *::before, *::after {animation: none !important; transition: none !important;}</style>"
STATUS_COLOURS = ["#bab0ac", "#4c78a8", "#f58518", "#eeca3b", "#e45756", "#54a24b"]  # in Status order
state = st.session_state


# ---------------------------------------------------------------------------------------- running
@st.cache_data(max_entries=32, show_spinner=False)
def simulate(scenario_hash: str, _scenario: ResolvedScenario) -> RunResult:
    """One run per distinct resolved scenario (its hash covers every value, seed, scale and draws), kept on
    disk too (model.results.run.cached_run)."""
    return cached_run(_scenario, workers=APP_WORKERS)


@st.cache_data(max_entries=16, show_spinner=False)
def screen_preset(scenario_hash: str, _scenario: ResolvedScenario, outcomes: tuple[str, ...]) -> pd.DataFrame:
    """Which headline outcomes rest mainly on assumptions: once per preset, policy start, seed and scale
    (model.results.marks.screening), since a quick run has too few replicates to tell."""
    return cached_screening(_scenario, tuple(BY_OUTCOME[name] for name in outcomes), workers=APP_WORKERS)


@st.cache_data(max_entries=8, show_spinner=False)
def build_report(result_hash: str, reference_hash: str, lang: str, _result: RunResult, _reference: RunResult) -> bytes:
    """The report of a setting against its baseline (model/reports/document.py), once per pair of runs and language."""
    from model.reports.document import report_file  # charts and templates load when a report is asked for

    return report_file(_result, _reference, "html", lang)[1]


def run_pair(settings: Settings) -> tuple[RunResult, RunResult]:
    """The setting and the baseline in the same world (same uncertainties, seeds and draws). The
    baseline runs first: the setting then resumes from its history at the policy start."""
    own = settings.resolve()
    reference = settings.reference_resolved()
    base = simulate(reference.scenario_hash(), reference)
    return simulate(own.scenario_hash(), own), base


def sharpened(result: RunResult, reference: RunResult) -> tuple[RunResult, RunResult]:
    """The answer with as many background replicates as have arrived, at the last stage reached; a new answer
    stops the last one's background work and starts its own (model/results/sharpen.py)."""
    if os.environ.get(SHARPEN_ENV) == "0" or APP_WORKERS < 2:
        return result, reference
    key = (result.manifest["scenario_hash"], reference.manifest["scenario_hash"])
    if state.get("sharpening_key") != key:
        if "sharpening" in state:
            state.sharpening.cancel()
        state.sharpening_key, state.sharpening = key, Sharpening(result, reference, RUN_BOUNDS["replicates"].high,
                                                                 APP_WORKERS)  # up to the slider's most
    state.shown_replicates = shown_stage(state.sharpening.count, result.manifest["replicates"])
    return state.sharpening.results(state.shown_replicates)


@st.fragment(run_every=SHARPEN_POLL_S)
def sharpening_status() -> None:
    """Each second: take in the background replicates, submit the next, say how far they are, and redraw the
    page when a stage is reached."""
    sharpening = state.sharpening
    ready = sharpening.advance()
    if shown_stage(ready, sharpening.have) > state.shown_replicates:
        st.rerun(scope="app")
    if sharpening.finished:
        if state.shown_replicates > sharpening.have:
            st.caption(T("sharpen.done", shown=state.shown_replicates))
        return
    upcoming = [stage for stage in SHARPEN_STAGES if stage > state.shown_replicates]
    st.caption(T("sharpen.running", ready=ready, target=sharpening.target, shown=state.shown_replicates,
                 next=upcoming[0] if upcoming else sharpening.target))


# ------------------------------------------------------------------------------------------- state
def T(text_key: str, /, **values) -> str:
    return text(text_key, state.lang, **values)


def start_session() -> None:
    """First run of a session: the language and the settings come from the link, if any."""
    query = st.query_params.to_dict()
    state.lang = query.get("lang") if query.get("lang") in LANGUAGES else LANGUAGES[0]
    state.kept = []
    state.messages = []
    state.settings, errors = from_link(query)
    state.messages += [("error", "message.bad_link", str(exc)) for exc in errors]  # (kind, text key, plain text)


def on_control(control: Control) -> None:
    state.settings = state.settings.with_value(control.key, control.from_shown(state[f"ctl:{control.key}"]))


def on_preset() -> None:
    """A new preset starts afresh: its own policy start and values; the run settings stay."""
    old = state.settings
    state.settings = Settings(preset=state.preset, seed=old.seed, scale=old.scale, replicates=old.replicates,
                              compare=old.compare, county=old.county)


def on_county() -> None:
    """Another county starts afresh from its baseline; the run settings stay."""
    old = state.settings
    state.settings = Settings(county=state.county, seed=old.seed, scale=old.scale, replicates=old.replicates,
                              compare=old.compare)


def on_compare() -> None:
    state.settings = dataclasses.replace(state.settings, compare=state.compare)


def on_policy_start() -> None:
    state.settings = checked(dataclasses.replace(state.settings, policy_start=state.policy_start), "policy_start")


def on_run_setting(name: str) -> None:
    state.settings = checked(dataclasses.replace(state.settings, **{name: state[f"run:{name}"]}), name)


def on_upload() -> None:
    upload = state.upload
    if upload is None:
        return
    try:
        state.settings = from_yaml(upload.getvalue(), where=upload.name, county=state.settings.county)
        state.messages.append(("success", "message.uploaded", upload.name))
    except InputError as exc:
        state.messages.append(("error", "message.bad_upload", str(exc)))


def keep_setting() -> None:
    if state.settings in state.kept:
        return
    if len(state.kept) >= MAX_KEPT:
        state.messages.append(("warning", "message.kept_full", None))
        return
    state.kept.append(state.settings)


def drop_kept(index: int) -> None:
    state.kept.pop(index)


# ------------------------------------------------------------------------------------------ sidebar
def sidebar() -> None:
    settings = state.settings
    with st.sidebar:
        st.segmented_control(T("sidebar.language"), LANGUAGES, key="lang", required=True,
                             format_func=lambda lang: text("language.name", lang))
        counties = shipped_counties()
        if len(counties) > 1:  # a choice only where there is one to make
            state.county = settings.county
            st.selectbox(T("sidebar.county"), counties, key="county", on_change=on_county, help=T("sidebar.county_help"),
                         format_func=lambda name, lang=state.lang: load_registry(name).county.label(lang))
        presets = shipped_scenarios()
        state.preset = settings.preset
        st.selectbox(T("sidebar.preset"), presets, key="preset", on_change=on_preset,
                     format_func=lambda name, lang=state.lang: text(f"preset.{name}", lang), help=T("sidebar.preset_help"))
        months = [format_month(m) for m in range(parse_month(POLICY_START_RANGE[0]),
                                                 parse_month(POLICY_START_RANGE[1]) + 1)]
        state.policy_start = settings.start()
        st.select_slider(T("sidebar.policy_start"), months, key="policy_start", on_change=on_policy_start,
                         help=T("sidebar.policy_start_help"))
        state.compare = settings.compare
        st.radio(T("sidebar.compare"), COMPARISONS, key="compare", on_change=on_compare, help=T("sidebar.compare_help"),
                 format_func=lambda name, lang=state.lang: text(f"compare_with.{name}", lang))
        registry = settings.registry()
        for group in GROUPS:
            with st.expander(T(f"group.{group}"), expanded=group == "renovation"):
                for control in (c for c in CONTROLS if c.group == group):
                    control_widget(control, settings, registry)
        extra = {k: v for k, v in settings.changes.items() if k not in BY_KEY}
        if extra:
            st.caption(T("sidebar.other_settings") + " " + ", ".join(f"{k} = {v}" for k, v in extra.items()))
        with st.expander(T("group.run")):
            for name in ("seed", "scale", "replicates"):
                state[f"run:{name}"] = getattr(settings, name) if name != "seed" else (
                    settings.seed if settings.seed is not None else settings.preset_scenario().seed)
            seed, replicates = RUN_BOUNDS["seed"], RUN_BOUNDS["replicates"]
            st.number_input(T("run.seed"), min_value=int(seed.low), max_value=int(seed.high), step=1, key="run:seed",
                            on_change=on_run_setting, args=("seed",), help=T("run.seed_help"))
            st.select_slider(T("run.scale"), sorted({*SCALES, settings.scale}), key="run:scale",
                             on_change=on_run_setting, args=("scale",), help=T("run.scale_help"))
            st.slider(T("run.replicates"), int(replicates.low), int(replicates.high), key="run:replicates",
                      on_change=on_run_setting, args=("replicates",), help=T("run.replicates_help"))
        st.file_uploader(T("sidebar.upload"), type=["yaml", "yml"], key="upload", on_change=on_upload,
                         help=T("sidebar.upload_help"))
        st.button(T("sidebar.keep"), on_click=keep_setting, help=T("sidebar.keep_help", n=MAX_KEPT),
                  width="stretch")


def control_widget(control: Control, settings: Settings, registry) -> None:
    key = f"ctl:{control.key}"
    param = registry[control.key]
    state[key] = control.to_shown(settings.value(control.key))
    name = T(f"label.{control.label}") if control.label else getattr(param.label, state.lang)
    unit = T(f"unit.{param.unit}") if control.shown_as == "value" else T(f"shown.{control.shown_as}")
    label = T("control.label", name=name, unit=unit)
    low, high = control.shown_bounds(registry)
    help_text = T("control.help", status=T(f"status.{param.status}"), low=low, high=high, key=control.key,
                  role=T(f"role.{param.role}"))
    if control.key in settings.changes:
        label = "● " + label
    if control.shown_as == "month":
        st.select_slider(label, control.options(), key=key, on_change=on_control, args=(control,), help=help_text)
    else:
        st.slider(label, low, high, step=type(low)(control.step), key=key, on_change=on_control, args=(control,),
                  help=help_text)


# --------------------------------------------------------------------------------------------- views
def show_messages() -> None:
    """Each message in its box; what came from outside (a link's text, a file's name, the error it
    caused) beneath it as plain text, never as Markdown: no links, images or emoji shortcodes."""
    for kind, key, plain in state.messages:
        getattr(st, kind)(T(key, n=MAX_KEPT))
        if plain:
            st.code(plain, language=None, wrap_lines=True)
    state.messages = []


def formatted(measure: str, value: float, signed: bool = False, like: float | None = None) -> str:
    """A measure's value (or, signed, a change) as the planner reads it; `like` gives a band's two ends one
    unit (band_scale)."""
    unit = BY_NAME[measure].unit
    if unit == "fraction":
        return format_points(value, state.lang) if signed else format_percent(value, state.lang)  # changes in points
    number = abs(value) if signed else value
    if unit.startswith("yuan"):
        shown = format_yuan(number, state.lang, like=like)
    elif unit in COUNT_UNITS:
        shown = format_count(number, state.lang, like=like)
    elif unit == "months":
        shown = f"{number:.1f}"
    else:
        shown = format_number(number, state.lang, digits=1, like=like)
    return with_sign(shown, value) if signed else shown


def band(measure: str, low: float, high: float, signed: bool = False) -> tuple[str, str]:
    """A band's two ends, written in one unit."""
    like = band_scale(low, high)
    return formatted(measure, low, signed, like), formatted(measure, high, signed, like)


def change_text(outcome: Outcome, row: pd.Series) -> str:
    """A paired change as the planner reads it: its median, or that it cannot be told from chance
    (its 5-95% band contains zero), or that no replicate changed at all."""
    if row["change_low"] == row["change_high"] == 0:
        return T("metric.no_change")
    change = formatted(outcome.measure, row["change"], signed=True)
    return T("metric.within_noise", change=change) if row["within_noise"] else change


def assumption_names(keys: list[str]) -> str:
    registry = state.settings.registry()
    return T("list.separator").join(getattr(registry[k].label, state.lang) for k in keys)


def headline_metrics(table: pd.DataFrame, same_as_reference: bool, outcomes: tuple[Outcome, ...]) -> dict:
    """The headline numbers, each with an empty place under it for its assumption mark (filled last,
    once the preset's screening is known); returns those places."""
    places = {}
    for first in range(0, len(outcomes), 3):
        for column, outcome in zip(st.columns(3), outcomes[first:first + 3]):
            row = table.loc[outcome.name]
            finding = not row["within_noise"]
            with column:
                st.metric(
                    outcome.label(state.lang), formatted(outcome.measure, row["value"]),
                    delta=None if same_as_reference else change_text(outcome, row),
                    delta_color={"higher": "normal", "lower": "inverse", "neither": "off"}[outcome.better]
                    if finding else "off",
                    delta_arrow="auto" if finding else "off",
                    help=T("metric.help", **dict(zip(("low", "high"), band(outcome.measure, row["low"], row["high"]))),
                           **dict(zip(("change_low", "change_high"),
                                      band(outcome.measure, row["change_low"], row["change_high"], signed=True)))),
                    border=True)
                places[outcome.name] = st.empty()
    return places


def assumption_marks(places: dict, settings: Settings, place) -> None:
    """Screen the preset (cached: slow only the first time) and mark the outcomes that rest mainly on
    assumed parameters, naming them."""
    preset = screening(settings.preset_resolved())
    with place.container(), st.spinner(T("message.screening", n=preset.replicates)):
        marks = screen_preset(preset.scenario_hash(), preset, tuple(places))
    place.caption(T("mark.screening", n=preset.replicates, preset=T(f"preset.{settings.preset}"),
                    count=int(marks["depends_on_assumptions"].sum())))
    for name, row in marks.iterrows():
        if row["depends_on_assumptions"]:
            places[name].caption(T("mark.assumed", share=format_share_interval(row["assumed_share"], row["assumed_low"],
                                                                               row["assumed_high"], state.lang),
                                   names=assumption_names(row["main_assumptions"])),
                                 help=T("mark.help", n=preset.replicates, preset=T(f"preset.{settings.preset}")))


def measure_labels() -> dict[str, str]:
    labels = {m.name: getattr(m, state.lang) for m in MEASURES}
    labels.update({f"unresolved_share_q{q}": T("quintile", q=q) for q in range(1, 6)})
    labels.update({f"months_waiting_q{q}": T("quintile", q=q) for q in range(1, 6)})
    return labels | {SETTING: T("series.setting"), BASELINE: T("series.baseline")}


def chart(spec: ChartSpec, result: RunResult, reference: RunResult, policy_start: str, view: str) -> None:
    data, word = axis_scale(chart_data(spec, result, reference, measure_labels()), state.lang)
    unit = T(f"unit.{BY_NAME[spec.measures[0]].unit}")
    y_title = T("axis.percent") if is_fraction(spec) else T("axis.unit", magnitude=word, unit=unit).strip()
    title = T(f"chart.{spec.name}")
    words = {SETTING: T("series.setting"), BASELINE: T("series.baseline"), "policy_start": T("chart.policy_start"),
             **{name: T(f"tooltip.{name}") for name in ("measure", "series", "median", "low", "high")}}
    st.vega_lite_chart(data, vega_lite(spec, title, y_title, words, policy_start), width="stretch")
    note = T("legend.bars" if spec.period == "end" else "legend.short", n=result.manifest["replicates"])  # bars: whiskers
    st.caption(note)
    left, right, _ = st.columns([1, 1, 4])
    for column, fmt in ((left, "png"), (right, "svg")):
        column.download_button(T("download.chart", fmt=fmt.upper()),
                               data=lambda fmt=fmt, lang=state.lang: figure_file(data, spec, title, y_title, note, fmt, lang),
                               file_name=f"{view}_{spec.name}.{fmt}", mime=f"image/{'svg+xml' if fmt == 'svg' else 'png'}",
                               on_click="ignore", key=f"dl:{spec.name}:{fmt}")


def binding_view(result: RunResult, reference: RunResult, policy_start: str) -> None:
    """Which constraint held the programme back each year from the policy start, for the setting and the
    baseline: why a lever that does not bind changes nothing."""
    first = int(policy_start[:4])
    columns = {T(f"series.{name}"): binding_by_year(run.monthly, first)
               for name, run in ((SETTING, result), (BASELINE, reference))}
    table = pd.DataFrame({name: [f"{T(f'binding.{CONSTRAINTS[code]}')} ({format_percent(share, state.lang, 0)})"
                                 for code, share in zip(years["binding"], years["share"])]
                          for name, years in columns.items()}, index=next(iter(columns.values())).index)
    st.subheader(T("binding.title"))
    st.caption(T("binding.note"))
    st.dataframe(table.rename_axis(T("binding.year")), width="content")


def compounds_view(result: RunResult) -> None:
    table = result.compounds[result.compounds["replicate"] == 0].copy()
    order = {name: i for i, name in enumerate(names(Status))}
    table = table.sort_values(["status", "urgency"], key=lambda s: s.map(order) if s.name == "status" else -s)
    width = 20
    table["column"] = [i % width for i in range(len(table))]
    table["row"] = [i // width for i in range(len(table))]
    table["status_label"] = table["status"].map(lambda s: T(f"status_compound.{s}"))
    table["kind_label"] = table["kind"].map(lambda k: T(f"kind.{k}"))
    status_order = [T(f"status_compound.{s}") for s in names(Status)]
    tooltip = [("compound", T("compounds.id")), ("kind_label", T("compounds.kind")),
               ("status_label", T("compounds.status")), ("urgency", T("compounds.urgency")),
               ("households_now", T("compounds.households")), ("listed_month", T("compounds.listed")),
               ("renovated_month", T("compounds.renovated"))]
    grid = {
        "title": T("compounds.title"), "height": {"step": 30},
        "mark": {"type": "rect", "stroke": "white", "strokeWidth": 1},
        "encoding": {
            "x": {"field": "column", "type": "ordinal", "axis": None},
            "y": {"field": "row", "type": "ordinal", "axis": None},
            "color": {"field": "status_label", "type": "nominal", "title": T("compounds.status"),
                      "scale": {"domain": status_order, "range": STATUS_COLOURS},
                      "legend": {"orient": "bottom", "columns": len(status_order)}},
            "opacity": {"field": "urgency", "type": "quantitative", "title": T("compounds.urgency"),
                        "scale": {"range": [0.35, 1.0]}, "legend": {"orient": "bottom"}},
            "tooltip": [{"field": field, "title": title} for field, title in tooltip],
        },
    }
    st.vega_lite_chart(table[["column", "row", *(field for field, _ in tooltip)]], grid, width="stretch")
    st.caption(T("compounds.note", n=len(table), scale=result.manifest["scale"]))
    counts = table["status_label"].value_counts().reindex(status_order, fill_value=0)
    st.dataframe(counts.rename(T("compounds.count")).rename_axis(T("compounds.status")).to_frame(), width="content")


def sources_view(settings: Settings) -> None:
    registry = state.settings.registry()
    drawn = set(drawn_keys())
    in_play = [c.key for c in CONTROLS] + sorted(set(settings.changes) - set(BY_KEY)) + sorted(drawn - set(BY_KEY))
    st.caption(T("sources.intro"))
    st.dataframe(sources_table(registry, in_play, settings.changes, drawn, state.lang), hide_index=True,
                 width="stretch", height=420,
                 column_config={T("sources.citation"): st.column_config.TextColumn(width="large")})
    key = st.selectbox(T("sources.pick"), in_play, format_func=lambda k, lang=state.lang: getattr(
        registry[k].label, lang), key="source_key")
    st.markdown(citation_card(registry, key, state.lang))
    st.subheader(T("sources.calibration"))
    county = state.settings.registry().county
    stored = calibrate.load_artefact(county.calibration_dir)
    if stored is None:
        st.info(T("sources.not_calibrated"))
    else:
        artefact, fit, _ = stored
        st.caption(T("sources.calibrated", id=artefact["id"], date=artefact["date"],
                     method=in_language(state.lang, artefact["method"], artefact.get("method_zh"))))
        st.dataframe(fit_table(fit, county.calibration_origin.directory, state.lang), hide_index=True, width="stretch")


def compare_view(settings: Settings, outcomes: tuple[Outcome, ...]) -> None:
    st.caption(T("compare.intro", n=MAX_KEPT))
    entries = [(T("compare.current"), settings)] + [(T("compare.kept", i=i + 1), kept)
                                                      for i, kept in enumerate(state.kept)]
    columns, results = {}, {}
    for name, kept in entries:
        result, reference = run_pair(kept)
        results[name] = result
        table = headline_table(result, reference, outcomes)
        columns[f"{name}: {setting_summary(kept)}"] = [
            f"{formatted(o.measure, table.loc[o.name, 'value'])} "
            f"({change_text(o, table.loc[o.name])})" for o in outcomes]
    st.dataframe(pd.DataFrame(columns, index=[o.label(state.lang) for o in outcomes]), width="stretch")
    if len(results) > 1:
        paired_view(results, outcomes)
    for i, _ in enumerate(state.kept):
        st.button(T("compare.drop", i=i + 1), key=f"drop:{i}", on_click=drop_kept, args=(i,))


def paired_view(results: dict[str, RunResult], outcomes: tuple[Outcome, ...]) -> None:
    """The current setting against each kept one, replicate by replicate (`renewal compare`'s numbers):
    in how many paired draws it is better, and the paired difference with its band, in plain words."""
    pairs = paired_with_first(results, outcomes)
    title = T("compare.paired_title")
    st.markdown(f"**{title}**")
    if pairs is None:
        st.caption(T("compare.not_paired"))
        return
    draws = next(iter(results.values())).manifest["parameter_draws"] is not None
    lines = []
    for row in pairs.itertuples():
        outcome = BY_OUTCOME[row.outcome]
        difference = formatted(outcome.measure, row.difference, signed=True)
        low, high = band(outcome.measure, row.difference_low, row.difference_high, signed=True)
        interval = T("compare.band", low=low, high=high)
        if row.difference_low == row.difference_high == 0:
            lines.append(f"- {outcome.label(state.lang)}:" + T("compare.no_difference", a=row.policy, b=row.other))
            continue
        if row.better == "neither":
            sure = T("compare.no_direction")
        else:
            sure = T("compare.better_draws" if draws else "compare.better_seeds", a=row.policy, b=row.other,
                     share=f"{100 * row.probability_better:.0f}%")
        noise = T("compare.within_noise") if row.within_noise else ""
        lines.append(f"- {outcome.label(state.lang)}:" + T("compare.difference", sure=sure, a=row.policy, b=row.other,
                                                             difference=difference, band=interval) + noise)
    st.markdown("\n".join(lines))
    st.caption(T("compare.paired_note", n=len(next(iter(results.values())).manifest["seeds"])))


def setting_summary(settings: Settings) -> str:
    registry = state.settings.registry()
    parts = [T(f"preset.{settings.preset}"), T("header.policy_start", month=settings.start())]
    parts += [f"{getattr(registry[k].label, state.lang)} = {v}" for k, v in settings.changes.items()]
    return " · ".join(parts)


def take_away_view(settings: Settings, result: RunResult, reference: RunResult, headlines: pd.DataFrame,
                   outcomes: tuple[Outcome, ...]) -> None:
    """Downloads of what the page shows; `headlines` is the page's headline table of `outcomes`."""
    st.caption(T("takeaway.intro"))
    shown = dataclasses.replace(settings, replicates=result.manifest["replicates"])  # sharpened: as many as shown
    st.download_button(T("download.yaml"), shown.to_yaml(), file_name=f"{settings.to_scenario()['name']}.yaml",
                       mime="application/x-yaml", on_click="ignore", key="dl:yaml")
    st.code(shown.to_yaml(), language="yaml")
    st.caption(T("takeaway.command"))

    def csv() -> bytes:  # built only when the button is pressed
        both = [result.monthly.assign(series=SETTING), reference.monthly.assign(series=BASELINE)]
        return pd.concat(both).to_csv(index=False).encode("utf-8")

    st.download_button(T("download.csv"), csv, file_name="results.csv", mime="text/csv", on_click="ignore",
                       key="dl:csv")
    st.download_button(T("download.headlines"), headline_csv(headlines, outcomes, state.lang),
                       file_name="headlines.csv", mime="text/csv", on_click="ignore", key="dl:headlines")
    query = urlencode({**settings.to_query(), **lang_query()})
    st.caption(T("takeaway.link"))
    st.code(f"{st.context.url or ''}?{query}" if query else T("takeaway.link_default"), language=None)
    report = build_report(result.manifest["scenario_hash"], reference.manifest["scenario_hash"], state.lang,
                          result, reference)
    st.download_button(T("download.report"), report, file_name=f"report-{settings.to_scenario()['name']}-{state.lang}.html",
                       mime="text/html", help=T("download.report_help"), on_click="ignore", key="dl:report")


def lang_query() -> dict[str, str]:
    return {} if state.lang == LANGUAGES[0] else {"lang": state.lang}


def limitations_view() -> None:
    st.markdown(T("limitations.body"))


# ---------------------------------------------------------------------------------------------- page
def main() -> None:
    if "settings" not in state:
        start_session()
    county = state.settings.registry().county.label(state.lang)
    st.set_page_config(page_title=text("app.title", state.lang, county=county), page_icon="🏘️", layout="wide")
    st.html(STILL)
    sidebar()
    settings = state.settings
    st.query_params.from_dict({**settings.to_query(), **lang_query()})

    st.title(T("app.title", county=county))
    st.markdown(T("header.what_to_do"))
    preset = settings.preset_as_shipped()
    outcomes = shown_for(preset.outcomes)
    if preset.question:
        st.subheader(T("header.question", question=preset.question[state.lang]))
    st.markdown(T("header.setting", preset=T(f"preset.{settings.preset}"), month=settings.start(),
                  changes=len(settings.changes)))
    show_messages()
    with st.spinner(T("message.running")):
        result, reference = sharpened(*run_pair(settings))
    same = result.manifest["scenario_hash"] == reference.manifest["scenario_hash"]
    replicates = result.manifest["replicates"]
    st.caption(T("header.run", scale=result.manifest["scale"], n=replicates, seconds=result.manifest["wall_time_s"],
                 reference=T(f"compare_with.{settings.compare}")))
    if "sharpening" in state:
        sharpening_status()
    if preset.outcomes:
        st.caption(T("header.answers", n=sum(o.name in preset.outcomes for o in outcomes)))
    headlines = headline_table(result, reference, outcomes)
    places = headline_metrics(headlines, same, outcomes)
    st.caption(T("legend.band", n=replicates, coverage=format_percent(band_coverage(replicates), state.lang, 0))
               + " " + T("legend.change"))
    marks_place = st.empty()
    if identical_before(result.monthly, reference.monthly, result.manifest["policy_start"]):
        st.caption(T("check.identical_before", month=settings.start()))
    elif settings.compare == "baseline_world":
        st.caption(T("check.differs_by_world", month=settings.start()))
    else:
        st.warning(T("check.differs_before", month=settings.start()))
    strain = strain_warning(result.monthly, result.manifest, state.lang)
    if strain:
        st.warning(strain)

    views = [*VIEWS, "compounds", "compare", "sources", "takeaway", "limitations"]
    view = st.segmented_control(T("view.label"), views, key="view", required=True, default=views[0],
                                format_func=lambda name, lang=state.lang: text(f"tab.{name}", lang))
    if view in VIEWS:
        for spec in VIEWS[view]:
            chart(spec, result, reference, settings.start(), view)
        if view == "renovation":
            binding_view(result, reference, settings.start())
    elif view == "compounds":
        compounds_view(result)
    elif view == "compare":
        compare_view(settings, outcomes)
    elif view == "sources":
        sources_view(settings)
    elif view == "takeaway":
        take_away_view(settings, result, reference, headlines, outcomes)
    else:
        limitations_view()
    assumption_marks(places, settings, marks_place)
    warm_workers(APP_WORKERS)  # a first screen from the disk cache started none: the next move finds them ready
