"""Reports for district meetings and journals: `renewal report RESULTS`, and the app's download.

A report is filled in from stored results and the parameter registry, never typed: the question the
scenario asks, its differences from the baseline, headline outcomes with honest bands, the main
charts, which outcomes rest on assumptions, the calibration fit, and a methods appendix citing every
parameter. HTML is one self-contained file (inline CSS and SVG charts, nothing fetched, opens
offline); Markdown links the charts, which are also written as PNG and SVG next to the report.
Text from users (scenario names, descriptions) is escaped in both formats.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

import jinja2
from markupsafe import Markup
from matplotlib.figure import Figure

from model.inputs.errors import InputError
from model.inputs.counties import shipped_counties
from model.inputs.registry import Registry, load_registry
from model.presentation.charts import inline_svg, loop_chart, to_png, to_svg
from model.presentation.numbers import LANGUAGES
from model.reports import run_report as report_run
from model.reports import sweep_report as report_sweep
from model.reports.run_report import Run
from model.reports.sections import fit_section, manifest_rows, package_rows, parameter_rows, source_rows
from model.reports.sweep_report import Sweep
from model.reports.text import LOOP_EDGES, LOOP_NODES, STEPS, TEXT
from model.results.run import RunResult
from model.results.store import COMPOUNDS, MANIFEST, MONTHLY, read_results

FORMATS = ("html", "md")
ZIP_DATE = (2014, 1, 1, 0, 0, 0)  # a fixed timestamp inside the zip: the same results give the same bytes
TEMPLATES = Path(__file__).resolve().parent / "templates"
Source = RunResult | Run | str | Path


def _md(text) -> str:
    """User or registry text inside Markdown: no markup, no raw HTML, one line (safe in a table cell)."""
    out = " ".join(str(text).split())
    for char in "\\`*_[]|<>":
        out = out.replace(char, {"<": "&lt;", ">": "&gt;"}.get(char, "\\" + char))
    return out


def _md_code(text) -> str:
    """Text inside a Markdown code span (keys, hashes): backticks cannot close it early."""
    return "`" + " ".join(str(text).split()).replace("`", "'") + "`"


_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=lambda name: name.endswith(".html.j2"),
                          undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
_ENV.filters["md"] = _md
_ENV.filters["md_code"] = _md_code


# ------------------------------------------------------------------------------------ inputs
def load_source(source: Source, where: str = "RESULTS") -> Run | Sweep:
    """A run in memory, a run's results directory (`renewal run`), or a sweep export."""
    if isinstance(source, RunResult | Run):
        return Run(source.monthly, source.compounds, source.manifest)
    directory = Path(source)
    if not directory.is_dir():
        raise InputError(where, None, f"{directory} is not a directory of results")
    if report_sweep.is_sweep(directory):
        return report_sweep.load_sweep(directory)
    if not all((directory / name).is_file() for name in (MONTHLY, COMPOUNDS, MANIFEST)):
        raise InputError(where, None, f"{directory} holds neither a run's results ({MONTHLY}, {COMPOUNDS}, {MANIFEST}) "
                         f"nor a sweep export ({report_sweep.SUMMARY})")
    try:
        monthly, compounds, manifest = read_results(directory)
    except json.JSONDecodeError as exc:
        raise InputError(directory / MANIFEST, None, f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except (OSError, ValueError) as exc:
        raise InputError(where, None, f"cannot read the results in {directory} ({exc})") from None
    return Run(monthly, compounds, manifest)


def _check_choices(fmt: str, lang: str) -> None:
    if fmt not in FORMATS:
        raise InputError("--format", None, f"'{fmt}' is not a report format; allowed: {', '.join(FORMATS)}")
    if lang not in LANGUAGES:
        raise InputError("--lang", None, f"'{lang}' is not a report language; allowed: {', '.join(LANGUAGES)}")


# ------------------------------------------------------------------------------------ contents
def _shared(values: dict[str, str], manifest: dict | None, registry: Registry, lang: str, calibration_dir: Path) -> dict:
    """What every report has: the calibration fit and the methods appendix (structure, causal loop,
    the parameters with `values` as shown, their sources, and a warning if the registry changed)."""
    text = TEXT[lang]
    loop = loop_chart({name: labels[lang] for name, labels in LOOP_NODES.items()}, LOOP_EDGES, text["loop_title"])
    parameters = parameter_rows(values, registry, lang)
    recorded = (manifest or {}).get("registry_hash")
    return {
        "lang": lang, "t": text, "fit": fit_section(lang, calibration_dir or registry.county.calibration_dir,
                                                        registry.county.calibration_origin.directory),
        "steps": STEPS[lang],
        "figures": {"loop": (text["loop_title"], loop)},
        "parameters": parameters,
        "parameters_intro": text["parameters_explained"].format(n=len(parameters), registry=registry.hash),
        "registry_note": (text["registry_changed"].format(run=recorded, now=registry.hash)
                          if recorded and recorded != registry.hash else None),
        "sources": source_rows(parameters, registry, lang),
    }


def registry_of(manifest: dict | None, county: str | Path | None = None) -> Registry:
    """The registry of the county a run or sweep ran on: the given county (`--county`), else its folder if it
    is still there, else the shipped county of that name; runs from before counties ran on the default."""
    if county is not None:
        return load_registry(county)
    county = (manifest or {}).get("county") or {}
    if county.get("directory") and (Path(county["directory"]) / "county.yaml").is_file():
        return load_registry(county["directory"])
    if county.get("name"):
        if county["name"] not in shipped_counties():
            raise InputError("RESULTS", "county", f"the results ran on the county '{county['name']}' in "
                             f"{county.get('directory')}, which is not here; shipped: {', '.join(shipped_counties())}")
        return load_registry(county["name"])
    return load_registry()


def run_contents(run: Run, baseline: Run | None, lang: str, calibration_dir: Path | None = None,
                 county: str | Path | None = None) -> dict:
    manifest = run.manifest
    registry = registry_of(manifest, county)
    text = TEXT[lang]
    marks = report_run.assumptions(run, registry, lang)
    contents = _shared(report_run.parameter_values(run, lang), manifest, registry, lang, calibration_dir)
    contents["figures"] = {**report_run.figures(run, baseline, lang), **contents["figures"]}
    contents.update({
        "kind": "run",
        "title": text["title_run"].format(name=manifest["scenario"]),
        "subtitle": text["subtitle"].format(county=registry.county.label(lang), start=manifest["start"],
                                            end=manifest["end"], scale=manifest["scale"],
                                            replicates=manifest["replicates"], hash=manifest["scenario_hash"]),
        "question": report_run.question(run, baseline, lang),
        "differences": report_run.differences(run, baseline, registry, lang),
        "headlines": report_run.headlines(run, baseline, marks["marked"], lang),
        "assumptions": marks,
        "manifests": [(text[title], manifest_rows(r.manifest, lang), package_rows(r.manifest))
                      for title, r in (("manifest", run), ("manifest_baseline", baseline)) if r],
    })
    return contents


def sweep_contents(sweep: Sweep, lang: str, calibration_dir: Path | None = None,
                   county: str | Path | None = None) -> dict:
    registry = registry_of(sweep.manifest, county)
    text = TEXT[lang]
    points = report_sweep.design_points(sweep, registry, lang)
    description = ((sweep.manifest or {}).get("description") or "").strip() or text["no_description"]
    contents = _shared(report_sweep.varied_values(sweep, lang), sweep.manifest, registry, lang, calibration_dir)
    contents["figures"] = {**report_sweep.figures(sweep, lang), **contents["figures"]}
    contents.update({
        "kind": "sweep",
        "title": text["title_sweep"].format(name=sweep.name),
        "subtitle": text["subtitle_sweep"].format(county=registry.county.label(lang), points=len(points["rows"]),
                                                  outcomes=len(points["outcomes"])),
        "question": {"name": sweep.name, "description": description, "compared": None},
        "design": points,
        "sensitivity": report_sweep.sensitivity(sweep, registry, lang),
        "warnings": report_sweep.warnings(sweep),
        "manifests": [(text["manifest"], manifest_rows(sweep.manifest, lang), package_rows(sweep.manifest))]
        if sweep.manifest else [],
    })
    return contents


def contents_for(source: Source, baseline: Source | None, lang: str, calibration_dir: Path | None = None,
                 county: str | Path | None = None) -> dict:
    loaded = load_source(source)
    if isinstance(loaded, Sweep):
        if baseline is not None:
            raise InputError("--baseline", None, "a sweep report compares its own design points; drop --baseline")
        return sweep_contents(loaded, lang, calibration_dir, county)
    base = load_source(baseline, "--baseline") if baseline is not None else None
    if isinstance(base, Sweep):
        raise InputError("--baseline", None, "the baseline must be a run's results, not a sweep")
    return run_contents(loaded, base, lang, calibration_dir, county)


# ------------------------------------------------------------------------------------ output
def render(contents: dict, fmt: str, charts_folder: str = "charts", svgs: dict[str, str] | None = None) -> str:
    """The document: HTML with the charts inline as SVG (`svgs`, drawn here when not given), or
    Markdown linking `charts_folder/<name>.png`."""
    figures: dict[str, tuple[str, Figure]] = contents["figures"]
    if fmt == "html":
        svgs = svgs or {name: to_svg(figure) for name, (_, figure) in figures.items()}
        charts = [{"name": n, "title": title, "svg": Markup(inline_svg(svgs[n]))} for n, (title, _) in figures.items()]
    else:
        charts = [{"name": n, "title": title, "path": f"{charts_folder}/{n}.png"} for n, (title, _) in figures.items()]
    chart_list = [c for c in charts if c["name"] != "loop"]
    loop = next(c for c in charts if c["name"] == "loop")
    return _ENV.get_template(f"{contents['kind']}.{fmt}.j2").render(
        **contents, charts=chart_list, loop_chart=loop, charts_folder=charts_folder)


def build_report(source: Source, baseline: Source | None = None, fmt: str = "html", lang: str = "zh", *,
                 charts_folder: str = "charts", calibration_dir: Path | None = None,
                 county: str | Path | None = None) -> str:
    """The report on a run (a RunResult in memory or a results directory), against an optional baseline
    run, or on a sweep export; HTML is self-contained, Markdown links `charts_folder/<chart>.png`."""
    _check_choices(fmt, lang)
    return render(contents_for(source, baseline, lang, calibration_dir, county), fmt, charts_folder)


def chart_files(figures: dict[str, tuple[str, Figure]]) -> tuple[dict[str, bytes], dict[str, str]]:
    """Every chart as PNG and SVG files by file name (for word processors), and the SVG by chart name."""
    svgs = {name: to_svg(figure) for name, (_, figure) in figures.items()}
    files = {}
    for name, (_, figure) in figures.items():
        files[f"{name}.png"] = to_png(figure)
        files[f"{name}.svg"] = svgs[name].encode("utf-8")
    return files, svgs


def write_report(source: Source, out: str | Path, baseline: Source | None = None, fmt: str = "html",
                 lang: str = "zh", calibration_dir: Path | None = None, county: str | Path | None = None) -> tuple[Path, Path]:
    """Write the report to `out` and its charts (PNG, SVG) to `<out stem>_charts/` next to it."""
    _check_choices(fmt, lang)
    out = Path(out)
    if out.is_dir():
        raise InputError("--out", None, f"{out} is a directory; give a file name, e.g. {out / f'report.{fmt}'}")
    contents = contents_for(source, baseline, lang, calibration_dir, county)
    folder = out.parent / f"{out.stem}_charts"
    files, svgs = chart_files(contents["figures"])
    document = render(contents, fmt, folder.name, svgs)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        _write_atomically(folder / name, data)
    _write_atomically(out, document.encode("utf-8"))
    return out, folder


def _write_atomically(path: Path, data: bytes) -> None:
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise


def report_file(source: Source, baseline: Source | None = None, fmt: str = "html", lang: str = "zh",
                calibration_dir: Path | None = None) -> tuple[str, bytes, str]:
    """What the app offers as a download: (file name, bytes, MIME type). HTML is the one file;
    Markdown comes zipped with its charts (PNG and SVG)."""
    _check_choices(fmt, lang)
    contents = contents_for(source, baseline, lang, calibration_dir)
    name = f"report-{_safe_name(contents['question']['name'])}-{lang}"
    if fmt == "html":
        return f"{name}.html", render(contents, "html").encode("utf-8"), "text/html"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        charts, _ = chart_files(contents["figures"])
        files = {f"{name}.md": render(contents, "md", "charts").encode("utf-8"),
                 **{f"charts/{file_name}": data for file_name, data in charts.items()}}
        for file_name, data in files.items():
            archive.writestr(zipfile.ZipInfo(file_name, date_time=ZIP_DATE), data, zipfile.ZIP_DEFLATED)
    return f"{name}.zip", buffer.getvalue(), "application/zip"


def _safe_name(name: str) -> str:
    """A scenario name as part of a file name: letters, digits, '-' and '_' only."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:60] or "scenario"
