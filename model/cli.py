"""`renewal`: the command line. Bad input gets one line naming the file, the key and what is allowed, exit 2."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from model.errors import InputError
from model.outcomes import format_outcomes
from model.results import write_results
from model.run import run
from model.scenario import resolve


def cmd_run(args: argparse.Namespace) -> int:
    resolved = resolve(args.scenario or "baseline", seed=args.seed, replicates=args.replicates, scale=args.scale,
                       overrides=args.set)
    suffix = "-draws" if args.draws else ""
    out = Path(args.out) if args.out else Path("results") / f"{resolved.name}-{resolved.scenario_hash()[:10]}{suffix}"
    if out.exists() and not out.is_dir():
        raise InputError("--out", None, f"{out} exists and is not a directory")
    months = resolved.end - resolved.start + 1
    with tqdm(total=resolved.replicates, unit="run", desc=resolved.name, disable=True if args.quiet else None, file=sys.stderr,
              bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.1f}/{total} runs [{elapsed}<{remaining}]") as bar:
        result = run(resolved, parameter_draws=args.draws, progress=lambda done, total: bar.update(resolved.replicates * done / total - bar.n))
    write_results(result, out)
    print(format_outcomes(result.monthly, result.manifest))
    print(f"\nresults written to {out}/ (monthly.parquet: {months} months x {resolved.replicates} replicate(s), "
          f"compounds.parquet, manifest.json)")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from model.report import write_report  # charts and templates load only when a report is made

    results = Path(args.results)
    out = Path(args.out) if args.out else results / f"report-{args.lang}.{args.format}"
    document, charts = write_report(results, out, baseline=args.baseline, fmt=args.format, lang=args.lang)
    print(f"report written to {document} (charts as PNG and SVG in {charts}/)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="renewal", description="County renewal model (Dongsheng, Ordos).")
    commands = parser.add_subparsers(dest="command", required=True)

    p_run = commands.add_parser("run", help="run a scenario (the baseline when none is given)")
    p_run.add_argument("scenario", nargs="?", help="a shipped scenario name (e.g. residents_pay_30) or a YAML path")
    p_run.add_argument("--seed", type=int, help="base seed (replicate seeds are spawned from it)")
    p_run.add_argument("--replicates", type=int, help="number of replicates")
    p_run.add_argument("--scale", type=float, help="fraction of the county simulated (1.0 = the real county)")
    p_run.add_argument("--set", action="append", metavar="KEY=VALUE", default=[],
                       help="override a lever or uncertainty by registry key (repeatable)")
    p_run.add_argument("--out", help="results directory (default results/<scenario>-<hash>)")
    p_run.add_argument("--draws", action="store_true",
                       help="each replicate also draws the uncertain parameters, so bands show parameter uncertainty")
    p_run.add_argument("--quiet", action="store_true", help="no progress bar")
    p_run.set_defaults(func=cmd_run)

    p_report = commands.add_parser("report", help="write a report (HTML or Markdown) on a run, a run against "
                                   "its baseline, or a sweep")
    p_report.add_argument("results", help="a results directory of `renewal run`, or a sweep export")
    p_report.add_argument("--baseline", help="the baseline run's results directory, to compare against")
    p_report.add_argument("--format", default="html", help="html (one self-contained file, the default) or md")
    p_report.add_argument("--lang", default="zh", help="zh (the default) or en")
    p_report.add_argument("--out", help="report file (default RESULTS/report-<lang>.<format>); charts go to "
                          "<out stem>_charts/")
    p_report.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
