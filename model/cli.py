"""`renewal`: the command line. Bad input gets one line naming the file, the key and what is allowed, exit 2."""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import time
from pathlib import Path

from tqdm import tqdm

from model.calibration.settings import Settings as CalibrationSettings
from model.inputs.errors import InputError
from model.inputs.scenario import resolve
from model.presentation.fiscal import strain_warning
from model.results.destination import check_report_file, check_run_directory, check_sweep_store
from model.results.yearly import format_outcomes
from model.results.run import run
from model.results.store import write_results

# What the commands that take --lang say besides their tables, in each language.
SAID = {
    "en": {
        "comparison_written": "\ncomparison written to {out}/ (comparison.csv, regret.csv, each also as Parquet, "
                              "summary.json)",
        "discovery_written": "\ndiscovery written to {out}/ (trajectory, boxes, cart and cases as CSV and Parquet, "
                             "tree.txt, summary.json, discovery-zh.md and discovery-en.md with their charts as PNG "
                             "and SVG)",
        "boxes_written": "the boxes written into {into}",
        "robustness_written": "\nrobustness analysis written to {out}/ (robustness.csv, regret.csv, evppi.csv, each "
                              "also as Parquet, summary.json)",
        "report_written": "report written to {document} (charts as PNG and SVG in {charts}/)",
        "interrupted": "interrupted; nothing was written",
    },
    "zh": {
        "comparison_written": "\n比较结果已写入 {out}/(comparison.csv、regret.csv,各另存一份 Parquet,以及 summary.json)",
        "discovery_written": "\n情景发现结果已写入 {out}/(轨迹、箱体、CART 与案例,各为 CSV 和 Parquet;tree.txt、"
                             "summary.json,以及 discovery-zh.md 和 discovery-en.md,其图表为 PNG 和 SVG)",
        "boxes_written": "箱体已写入 {into}",
        "robustness_written": "\n稳健性分析已写入 {out}/(robustness.csv、regret.csv、evppi.csv,各另存一份 Parquet,"
                              "以及 summary.json)",
        "report_written": "报告已写入 {document}(图表为 PNG 和 SVG,在 {charts}/)",
        "interrupted": "已中断;没有写入任何内容",
    },
}


def said(args: argparse.Namespace, what: str, **values) -> str:
    """A status line in the command's --lang (English where it has none, or an unknown one)."""
    return SAID.get(getattr(args, "lang", "en"), SAID["en"])[what].format(**values)


def cmd_run(args: argparse.Namespace) -> int:
    if args.workers < 1:
        raise InputError("--workers", None, f"{args.workers} is not allowed; give 1 or more processes")
    resolved = resolve(args.scenario or "baseline", seed=args.seed, replicates=args.replicates, scale=args.scale,
                       overrides=args.set, parameter_draws=True if args.draws else None, county=args.county)
    out = Path(args.out) if args.out else Path("results") / f"{resolved.name}-{resolved.scenario_hash()[:10]}"
    check_run_directory(out, resolved.scenario_hash(), args.force)
    months = resolved.end - resolved.start + 1
    with tqdm(total=resolved.replicates, unit="run", desc=resolved.name, disable=True if args.quiet else None,
              file=sys.stderr, bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.1f}/{total} runs [{elapsed}<{remaining}]") as bar:
        result = run(resolved, workers=args.workers,
                     progress=lambda done, total: bar.update(resolved.replicates * done / total - bar.n))
    write_results(result, out, force=args.force)
    print(format_outcomes(result.monthly, result.manifest))
    strain = strain_warning(result.monthly, result.manifest, "en")
    if strain:
        print(f"\n{strain}")
    print(f"\nresults written to {out}/ (monthly.parquet: {months} months x {resolved.replicates} replicate(s), "
          f"compounds.parquet, manifest.json)")
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from model.calibration.calibrate import calibrate, format_fit

    settings = CalibrationSettings(scale=args.scale, population=args.population, draws=args.draws, budget=args.budget,
                        workers=args.workers, county=args.county)
    say = (lambda message: None) if args.quiet else (lambda message: tqdm.write(f"[{time.strftime('%H:%M:%S')}] {message}",
                                                                                 file=sys.stderr))
    calibrate(settings, progress=say)
    print(format_fit(args.county))
    return 0


def cmd_fit(args: argparse.Namespace) -> int:
    from model.calibration.calibrate import format_fit

    if args.predict:
        from model.calibration.calibrate import repredict

        repredict(args.county, progress=lambda message: print(message, flush=True))
    if args.into:
        from model.reports.effects_table import splice
        from model.reports.fit_table import fit_markdown

        splice(Path(args.into), fit_markdown(args.county), "fit")
        print(f"fit table written into {args.into}")
    else:
        print(format_fit(args.county))
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    from model.inputs.citation import export
    from model.inputs.registry import load_registry

    sys.stdout.write(export(args.format, load_registry(args.county), args.lang))
    return 0


def cmd_cite(args: argparse.Namespace) -> int:
    from model.inputs.citation import cite
    from model.inputs.registry import load_registry

    print(cite(args.key, load_registry(args.county), args.lang))
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from model.sweeps.runner import format_report, open_executor, run_sweep  # SALib, DuckDB and Dask: only for sweeps
    from model.sweeps.spec import load_spec
    from model.sweeps.store import Store

    if args.scheduler and args.workers is not None:
        raise InputError("--workers", None, "the cluster's workers run the sweep when --scheduler is given; "
                         "drop --workers")
    if args.max_runs is not None and args.max_runs < 1:
        raise InputError("--max-runs", None, f"{args.max_runs} is not allowed; give a whole number >= 1")
    scheduler = None if args.scheduler is None else check_scheduler(args.scheduler)
    workers = args.workers if args.workers is not None else os.cpu_count() or 1
    sweep = load_spec(args.spec, county=args.county, max_runs=args.max_runs,
                      workers=None if scheduler else workers)
    store = Store(args.store or Path("results") / "sweeps" / sweep.name)
    check_sweep_store(store.root)
    with (open_executor(workers, scheduler) as (executor, parallelism),
          tqdm(unit="point", desc=f"{sweep.name}: planning", delay=1, leave=False, file=sys.stderr,
               disable=True if args.quiet else None) as planning,
          tqdm(unit="run", desc=sweep.name, disable=True if args.quiet else None, file=sys.stderr) as bar):
        print(f"sweep {sweep.name}: {sweep.runs} runs ({len(sweep.points)} points x {sweep.replicates} replicates); "
              f"store {store.root}", flush=True)

        def follow(bar: tqdm):  # a (done, total) callback that moves the bar
            return lambda done, total: (setattr(bar, "total", total), bar.update(done - bar.n))

        try:
            report = run_sweep(sweep, store, executor, parallelism, follow(bar), planning=follow(planning))
        except KeyboardInterrupt:
            bar.close()
            print(f"interrupted; the runs finished so far are stored in {store.root}; "
                  "run the same command again to finish the sweep", file=sys.stderr)
            return 130
    print(format_report(report))
    return 1 if report.failures else 0


def cmd_screen(args: argparse.Namespace) -> int:
    from model.inputs.counties import load_county
    from model.reports.effects_table import splice
    from model.sweeps import assumption_screening as screening
    from model.sweeps.runner import open_executor

    settings = screening.Settings(trajectories=args.trajectories, scale=args.scale, store=Path(args.store))
    with tqdm(unit="run", disable=True if args.quiet else None, file=sys.stderr) as bar, \
            open_executor(args.workers) as (executor, parallelism):
        def follow(name: str, done: int, total: int) -> None:
            bar.set_description(name)
            bar.total, bar.n = total, done
            bar.refresh()

        table = screening.screen(settings, executor, parallelism, follow)
    out = load_county().calibration_dir / screening.RESULT
    table.to_csv(out, index=False)
    block = screening.format_screening(table) + "\n\n" + screening.settings_line(settings)
    if args.into:
        splice(Path(args.into), block, "screening")
        print(f"screening table written into {args.into}")
    else:
        print(block)
    print(f"every column's mu* per assumed parameter: {out}")
    return 0


def cmd_effects(args: argparse.Namespace) -> int:
    from model.reports.effects_table import format_effects, settings_line, splice
    from model.results.effects import effects

    settings = {"scale": args.scale, "replicates": args.replicates, "seed": args.seed,
                "parameter_draws": not args.no_draws, "county": args.county, "workers": args.workers}
    table = effects(args.scenarios or None, **settings)
    block = f"{format_effects(table)}\n\n{settings_line(table, settings)}"
    if args.into:
        splice(Path(args.into), block, "effects" if settings["parameter_draws"] else "effects-seeds")
        print(f"effects table written into {args.into}")
    else:
        print(block)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from model.reports.comparison_table import format_comparison
    from model.results.comparison import chosen_outcomes, compare, comparison_hash, paired_policies, write_comparison
    from model.results.destination import check_comparison_directory

    if args.workers < 1:
        raise InputError("--workers", None, f"{args.workers} is not allowed; give 1 or more processes")
    policies = paired_policies(args.policies, scale=args.scale, replicates=args.replicates, seed=args.seed,
                               parameter_draws=not args.no_draws, county=args.county)
    outcomes = chosen_outcomes(policies, args.outcome)
    if args.out:
        check_comparison_directory(Path(args.out), comparison_hash(policies, outcomes), args.force)
    comparison = compare(policies, outcomes, workers=args.workers)
    print(format_comparison(comparison, args.lang))
    if args.out:
        write_comparison(comparison, Path(args.out), force=args.force)
        print(said(args, "comparison_written", out=args.out))
    return 0


def cmd_discover(args: argparse.Namespace) -> int:
    from model.reports.discovery_report import (check_discovery_directory, format_discovery, summary_markdown,
                                                write_discovery)
    from model.reports.effects_table import splice, spliceable
    from model.results.outcomes import outcome_named
    from model.sweeps.discovery import Question, Settings, discover_sweep
    from model.sweeps.spec import load_spec
    from model.sweeps.store import Store
    from model.sweeps.threshold import parse_threshold

    outcome, rule = outcome_named(args.outcome), parse_threshold(args.where, "--where")
    settings = Settings(mass_min=args.mass_min, peel_alpha=args.peel_alpha, min_coverage=args.min_coverage,
                        boxes=args.boxes).check()
    sweep = load_spec(args.spec, county=args.county)
    root = Path(args.store) if args.store else Path("results") / "sweeps" / sweep.name
    if not (root / "index").is_dir():
        raise InputError("--store", str(root), f"holds no sweep store; run `renewal sweep {args.spec}` first "
                         "(with the same --store)")
    question = Question(sweep, Store(root), outcome, rule, drawn=args.draws)
    out = Path(args.out) if args.out else root / "sweeps" / sweep.name / f"discovery-{outcome.name}"
    check_discovery_directory(out, question.identity(settings), args.force)
    for into in args.into or []:
        spliceable(Path(into), "discovery")
    found, cases, record = discover_sweep(question, settings)
    options = [f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items()
               if k in ("mass_min", "peel_alpha", "min_coverage", "boxes") and v != getattr(Settings(), k)]
    record["command"] = " ".join(["renewal discover", args.spec, "--outcome", outcome.name, f'--where "{rule}"',
                                  *(["--draws"] if args.draws else []), *options])
    registry = sweep.resolved_base.registry()
    print(format_discovery(found, record, registry, args.lang))
    write_discovery(found, cases, record, registry, out, force=args.force)
    print(said(args, "discovery_written", out=out))
    for into in args.into or []:
        splice(Path(into), summary_markdown(found, record, registry, out, Path(into)), "discovery")
        print(said(args, "boxes_written", into=into))
    return 0


def cmd_robust(args: argparse.Namespace) -> int:
    from model.reports.robustness_table import format_robustness
    from model.sweeps.robustness import robust, robust_outcome, robustness_hash, write_robustness
    from model.sweeps.spec import load_spec
    from model.sweeps.store import Store
    from model.sweeps.threshold import parse_threshold
    from model.results.destination import check_robustness_directory

    outcome = robust_outcome(args.outcome)
    satisfice = parse_threshold(args.satisfice, "--satisfice") if args.satisfice is not None else None
    sweep = load_spec(args.spec, county=args.county)
    if args.out:
        check_robustness_directory(Path(args.out), robustness_hash(sweep, outcome, satisfice, args.bins, args.draws),
                                   args.force)
    store = Store(args.store or Path("results") / "sweeps" / sweep.name)
    result = robust(sweep, store, outcome, satisfice, bins=args.bins, drawn=args.draws)
    print(format_robustness(result, args.lang))
    if args.out:
        write_robustness(result, Path(args.out), force=args.force)
        print(said(args, "robustness_written", out=args.out))
    return 0


def cmd_prepare_app(args: argparse.Namespace) -> int:
    from model.app.headlines import shown_for
    from model.app.settings import APP_CACHE, APP_WORKERS, Settings, shipped_scenarios
    from model.results.cache import CACHE_ENV
    from model.results.marks import cached_screening
    from model.results.run import cached_run

    os.environ.setdefault(CACHE_ENV, str(APP_CACHE))
    presets = args.presets or shipped_scenarios()
    started = time.monotonic()
    with tqdm(total=3 * len(presets), unit="step", file=sys.stderr, disable=True if args.quiet else None) as bar:
        for name in presets:
            settings = Settings(preset=name)
            for what, step in (("baseline", lambda: cached_run(settings.reference_resolved(), APP_WORKERS)),
                               ("setting", lambda: cached_run(settings.resolve(), APP_WORKERS)),
                               ("screening", lambda: cached_screening(
                                   settings.preset_resolved(), shown_for(settings.preset_as_shipped().outcomes),
                                   workers=APP_WORKERS))):
                bar.set_description(f"{name}: {what}")
                step()
                bar.update()
    folder = Path(os.environ[CACHE_ENV])
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0
    print(f"the app's cache is ready for {len(presets)} preset(s) in {time.monotonic() - started:.0f} s: "
          f"{folder}/ holds {size / 1e6:.0f} MB")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from model.reports.document import write_report  # charts and templates load only when a report is made

    results = Path(args.results)
    out = Path(args.out) if args.out else results / f"report-{args.lang}.{args.format}"
    check_report_file(out, args.force)
    document, charts = write_report(results, out, baseline=args.baseline, fmt=args.format, lang=args.lang,
                                    county=args.county)
    print(said(args, "report_written", document=document, charts=charts))
    return 0


SCHEDULER = re.compile(r"(?P<protocol>tcp|tls)://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(?P<port>[0-9]{1,5})"
                       r"|inproc://[A-Za-z0-9_.:/-]+")


def check_scheduler(address: str) -> str:
    """A Dask scheduler address as given, checked before anything connects: tcp:// or tls:// with a host and
    a port from 1 to 65535, or inproc://."""
    match = SCHEDULER.fullmatch(address)
    if not match or (match["port"] is not None and not 1 <= int(match["port"]) <= 65535):
        raise InputError("--scheduler", address[:80], "write tcp://HOST:PORT or tls://HOST:PORT (a port from 1 to "
                         "65535, e.g. tcp://10.0.0.5:8786) or inproc://ADDRESS")
    return address


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM ends the command as Ctrl-C does: worker processes are stopped and nothing partial stays."""
    raise KeyboardInterrupt


COUNTY_HELP = ("the county: a shipped county's name (counties/<name>) or a county folder; default dongsheng "
               "(docs/counties.md says how to write one)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="renewal", description="County renewal model: a what-if simulator of "
                                     "urban renewal (default county: Dongsheng district, Ordos).")
    commands = parser.add_subparsers(dest="command", required=True)

    p_run = commands.add_parser("run", help="run a scenario (the baseline when none is given)")
    p_run.add_argument("scenario", nargs="?", help="a shipped scenario name (e.g. residents_pay_30) or a YAML path")
    p_run.add_argument("--seed", type=int, help="base seed (replicate seeds are spawned from it)")
    p_run.add_argument("--replicates", type=int, help="number of replicates")
    p_run.add_argument("--scale", type=float, help="fraction of the county simulated (1.0 = the real county)")
    p_run.add_argument("--set", action="append", metavar="KEY=VALUE", default=[],
                       help="override a lever or uncertainty by registry key (repeatable)")
    p_run.add_argument("--out", help="results directory (default results/<scenario>-<hash>): new, empty, or the "
                       "results of the same run; what else it holds is kept")
    p_run.add_argument("--force", action="store_true", help="replace the results of another run in --out")
    p_run.add_argument("--draws", action="store_true",
                       help="each replicate also draws the uncertain parameters, so bands show parameter uncertainty")
    p_run.add_argument("--workers", type=int, default=1,
                       help="processes running the replicates (default 1; the results are the same)")
    p_run.add_argument("--quiet", action="store_true", help="no progress bar")
    p_run.add_argument("--county", metavar="COUNTY", help=COUNTY_HELP)
    p_run.set_defaults(func=cmd_run)

    p_cal = commands.add_parser("calibrate", help="estimate the calibrated parameters against the document figures")
    defaults = CalibrationSettings()
    p_cal.add_argument("--budget", type=float, default=defaults.budget,
                       help=f"seconds the ABC-SMC may use before it stops short of its rule (a guard; default {defaults.budget:g})")
    p_cal.add_argument("--population", type=int, default=defaults.population,
                       help=f"particles per generation (default {defaults.population})")
    p_cal.add_argument("--draws", type=int, default=defaults.draws,
                       help=f"equally weighted joint draws kept (default {defaults.draws})")
    p_cal.add_argument("--scale", type=float, default=defaults.scale,
                       help=f"fraction of the county simulated (default {defaults.scale:g})")
    p_cal.add_argument("--workers", type=int, default=defaults.workers,
                       help=f"processes simulating particles (default {defaults.workers})")
    p_cal.add_argument("--quiet", action="store_true", help="no progress")
    p_cal.add_argument("--county", metavar="COUNTY", help=COUNTY_HELP)
    p_cal.set_defaults(func=cmd_calibrate)

    p_fit = commands.add_parser("fit", help="print the stored calibration's posterior, posterior predictive and identification tables")
    p_fit.add_argument("--county", metavar="COUNTY", help=COUNTY_HELP)
    p_fit.add_argument("--into", metavar="FILE", help="write the fit table as Markdown between the <!-- fit:start --> "
                       "and <!-- fit:end --> markers of FILE (the README)")
    p_fit.add_argument("--predict", action="store_true", help="first recompute the posterior predictive and "
                       "identification tables from the committed posterior draws (after a change to what runs draw "
                       "or to the model beyond the fitted history; about 10 minutes on 2 cores)")
    p_fit.set_defaults(func=cmd_fit)

    p_params = commands.add_parser("params", help="export the parameter registry as a citable table")
    p_params.add_argument("--format", default="md", help="md (default), csv, json or bibtex")
    p_params.add_argument("--lang", default="en", choices=("zh", "en"), help="language of the md table (default en; "
                          "csv and json carry both languages)")
    p_params.add_argument("--county", metavar="COUNTY", help=COUNTY_HELP)
    p_params.set_defaults(func=cmd_params)

    p_cite = commands.add_parser("cite", help="print one parameter's citation for a report")
    p_cite.add_argument("key", help="a registry key, e.g. renovation.resident_share")
    p_cite.add_argument("--lang", default="en", choices=("zh", "en"), help="language of the citation (default en)")
    p_cite.add_argument("--county", metavar="COUNTY", help=COUNTY_HELP)
    p_cite.set_defaults(func=cmd_cite)

    p_sweep = commands.add_parser("sweep", help="run a sweep spec (design x replicates); re-run to resume")
    p_sweep.add_argument("spec", help="a sweep spec YAML, e.g. scenarios/sweeps/stall_policy.yaml")
    p_sweep.add_argument("--workers", type=int, help="local worker processes (default: one per CPU; 1 = serial)")
    p_sweep.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    p_sweep.add_argument("--store", help="store directory (default results/sweeps/<sweep name>)")
    p_sweep.add_argument("--quiet", action="store_true", help="no progress bar")
    p_sweep.add_argument("--max-runs", type=int, metavar="N",
                         help="the most runs the design may have (default: the spec's max_runs, else 100,000)")
    p_sweep.add_argument("--county", metavar="COUNTY", help=COUNTY_HELP)
    p_sweep.set_defaults(func=cmd_sweep)

    p_effects = commands.add_parser("effects", help="each shipped what-if's paired effect on the outcomes that "
                                    "answer its question, with 5-95%% bands")
    p_effects.add_argument("scenarios", nargs="*", help="what-ifs (default: every shipped one)")
    p_effects.add_argument("--scale", type=float, default=0.25, help="fraction of the county simulated (default 0.25)")
    p_effects.add_argument("--replicates", type=int, default=16, help="paired replicates (default 16)")
    p_effects.add_argument("--seed", type=int, default=20140101, help="base seed (default 20140101)")
    p_effects.add_argument("--no-draws", action="store_true", help="seeds only: no parameter draws")
    p_effects.add_argument("--workers", type=int, default=2, help="processes running the replicates (default 2)")
    p_effects.add_argument("--into", metavar="FILE", help="write the table between the <!-- effects:start --> and "
                           "<!-- effects:end --> lines of FILE (the README) instead of printing it")
    p_effects.add_argument("--county", metavar="COUNTY", help=COUNTY_HELP)
    p_effects.set_defaults(func=cmd_effects)

    p_compare = commands.add_parser("compare", help="paired comparison of two or more policies on the same seeds "
                                    "and parameter draws: how often each beats each other, the paired difference with "
                                    "its 5-95%% band, and each policy's regret")
    p_compare.add_argument("policies", nargs="+", metavar="POLICY",
                           help="two or more scenarios (shipped names or YAML paths) with one policy start and period")
    p_compare.add_argument("--outcome", action="append", metavar="KEY",
                           help="an outcome of the catalogue to compare on (repeatable; default: the outcomes the "
                           "policies name as answering their questions)")
    p_compare.add_argument("--scale", type=float, default=0.25, help="fraction of the county simulated (default 0.25)")
    p_compare.add_argument("--replicates", type=int, default=16, help="paired replicates (default 16)")
    p_compare.add_argument("--seed", type=int, default=20140101, help="base seed (default 20140101)")
    p_compare.add_argument("--no-draws", action="store_true", help="seeds only: no parameter draws")
    p_compare.add_argument("--workers", type=int, default=2, help="processes running the replicates (default 2)")
    p_compare.add_argument("--lang", default="en", choices=("zh", "en"), help="language of the tables (default en)")
    p_compare.add_argument("--out", metavar="DIR", help="also write comparison.csv, regret.csv (and as Parquet) and "
                           "summary.json to DIR: new, empty, or an earlier comparison's")
    p_compare.add_argument("--force", action="store_true", help="replace another comparison in --out")
    p_compare.add_argument("--county", metavar="COUNTY", help=COUNTY_HELP)
    p_compare.set_defaults(func=cmd_compare)

    p_discover = commands.add_parser("discover", help="scenario discovery on a sweep's runs: PRIM boxes and a CART "
                                     "tree of the conditions under which an outcome fails (EMA Workbench)")
    p_discover.add_argument("spec", help="the sweep spec (YAML) whose stored runs are the cases")
    p_discover.add_argument("--outcome", required=True, metavar="KEY", help="the outcome of the catalogue that fails")
    p_discover.add_argument("--where", required=True, metavar="RULE",
                            help='when a run fails: an operator and a number, e.g. "< 0.8" or ">= 550000"')
    p_discover.add_argument("--store", help="the sweep's store (default results/sweeps/<sweep name>)")
    p_discover.add_argument("--draws", action="store_true", help="add the parameters each run drew as dimensions "
                            "(the base scenario must draw them; they are correlated)")
    p_discover.add_argument("--min-coverage", type=float, default=0.8,
                            help="the box shown is the densest with at least this coverage (default 0.8)")
    p_discover.add_argument("--mass-min", type=float, default=0.05, help="the smallest box or leaf, as a share of "
                            "the cases (default 0.05)")
    p_discover.add_argument("--peel-alpha", type=float, default=0.05, help="the share peeled per PRIM step "
                            "(default 0.05)")
    p_discover.add_argument("--boxes", type=int, default=1, help="boxes to search, each on the cases outside the "
                            "earlier ones (default 1)")
    p_discover.add_argument("--lang", default="en", choices=("zh", "en"), help="language printed (default en; "
                            "both are written)")
    p_discover.add_argument("--out", metavar="DIR", help="where to write (default STORE/sweeps/<sweep>/"
                            "discovery-<outcome>): new, empty, or an earlier discovery's")
    p_discover.add_argument("--force", action="store_true", help="replace another discovery in --out")
    p_discover.add_argument("--into", action="append", metavar="FILE", help="also write the boxes (limits, charts, "
                            "links) between the <!-- discovery:start --> and <!-- discovery:end --> lines of FILE "
                            "(repeatable: the README, docs/discovery.md)")
    p_discover.add_argument("--county", metavar="COUNTY", help=COUNTY_HELP)
    p_discover.set_defaults(func=cmd_discover)

    p_robust = commands.add_parser("robust", help="which policy of a sweep (its levers' values) has the least "
                                   "regret across the states of the world (its uncertainties and replicates), and "
                                   "which uncertainty is worth resolving first (EVPPI)")
    p_robust.add_argument("spec", help="a sweep spec whose runs are stored (renewal sweep SPEC), with a grid over "
                          "levers and uncertainties, e.g. scenarios/sweeps/robust_renovation.yaml")
    p_robust.add_argument("--outcome", required=True, metavar="KEY",
                          help="an outcome of the catalogue with a better direction (higher or lower)")
    p_robust.add_argument("--satisfice", metavar="'OP NUMBER'", help="a satisficing threshold on the outcome, e.g. "
                          "'>= 500000' or '< 0.4' (a share as a fraction): each policy's share of states that meet it")
    p_robust.add_argument("--store", help="the sweep's store (default results/sweeps/<sweep name>, as renewal sweep)")
    p_robust.add_argument("--draws", action="store_true", help="also rank each parameter the replicates drew "
                          "(a base scenario with parameter_draws: true)")
    p_robust.add_argument("--bins", type=int, default=4, help="quantile bins per uncertainty for EVPPI (default 4; "
                          "one per value when it takes fewer values)")
    p_robust.add_argument("--lang", default="en", choices=("zh", "en"), help="language of the tables (default en)")
    p_robust.add_argument("--out", metavar="DIR", help="also write robustness.csv, regret.csv, evppi.csv (and as "
                          "Parquet) and summary.json to DIR: new, empty, or an earlier analysis's")
    p_robust.add_argument("--force", action="store_true", help="replace another robustness analysis in --out")
    p_robust.add_argument("--county", metavar="COUNTY", help=COUNTY_HELP)
    p_robust.set_defaults(func=cmd_robust)

    p_screen = commands.add_parser("screen-assumptions", help="Morris screening (through sweeps) of which assumed "
                                   "parameters move the baseline's headlines and the what-ifs' paired changes")
    p_screen.add_argument("--trajectories", type=int, default=4, help="Morris trajectories (default 4)")
    p_screen.add_argument("--scale", type=float, default=0.05, help="fraction of the county simulated (default 0.05)")
    p_screen.add_argument("--workers", type=int, default=2, help="processes running the sweeps (default 2)")
    p_screen.add_argument("--store", default="results/assumption-screening", help="the sweeps' store (resumable)")
    p_screen.add_argument("--into", metavar="FILE", help="write the table between the <!-- screening:start --> and "
                          "<!-- screening:end --> lines of FILE (docs/calibration.md)")
    p_screen.add_argument("--quiet", action="store_true", help="no progress bar")
    p_screen.set_defaults(func=cmd_screen)

    p_prepare = commands.add_parser("prepare-app", help="run what the app shows first for each preset (its "
                                    "baseline, its setting, its screening) into the app's disk cache, so that a new "
                                    "server answers at once (make app does this)")
    p_prepare.add_argument("presets", nargs="*", help="presets (default: every shipped scenario)")
    p_prepare.add_argument("--quiet", action="store_true", help="no progress bar")
    p_prepare.set_defaults(func=cmd_prepare_app)

    p_report = commands.add_parser("report", help="write a report (HTML or Markdown) on a run, a run against "
                                   "its baseline, or a sweep")
    p_report.add_argument("results", help="a results directory of `renewal run`, or a sweep export")
    p_report.add_argument("--baseline", help="the baseline run's results directory, to compare against")
    p_report.add_argument("--format", default="html", help="html (one self-contained file, the default) or md")
    p_report.add_argument("--lang", default="zh", help="zh (the default) or en")
    p_report.add_argument("--out", help="report file (default RESULTS/report-<lang>.<format>); charts go to "
                          "<out stem>_charts/")
    p_report.add_argument("--force", action="store_true", help="overwrite an existing --out file the tool did not "
                          "write")
    p_report.add_argument("--county", metavar="COUNTY", help=COUNTY_HELP)
    p_report.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(said(args, "interrupted"), file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
