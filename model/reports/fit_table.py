"""The README's fit table: the committed calibration's posterior predictive, as Markdown (`renewal fit --into`)."""

from __future__ import annotations

from pathlib import Path

from model.calibration.calibrate import load_artefact
from model.inputs.counties import load_county


def _number(value: float) -> str:
    return f"{value:.1%}" if abs(value) < 1 else f"{value:,.0f}"


def fit_markdown(county: str | Path | None = None) -> str:
    """Every target of the county's calibration: role, document value, band, simulated median with its
    5-95% range over the predictive replicates, error and the share of replicates within the band."""
    chosen = load_county(county)
    stored = load_artefact(chosen.calibration_dir)
    if stored is None:
        return f"{chosen.name}: calibration not run yet (`renewal calibrate`)."
    artefact, fit, _ = stored
    lines = ["| target | role | document | band | simulated median (5-95%) | error | replicates in band |",
             "|---|---|---|---|---|---|---|"]
    for row in fit.itertuples():
        lines.append(f"| `{row.target}` | {row.role} | {_number(row.observed)} | {_number(row.band_low)}-"
                     f"{_number(row.band_high)} | {_number(row.simulated_median)} ({_number(row.simulated_p5)}-"
                     f"{_number(row.simulated_p95)}) | {row.error:+.1%} | {row.share_in_band:.0%} |")
    lines.append("")
    lines.append(f"Calibration `{artefact['id']}` ({artefact['date']}): {artefact['method']}; {artefact['generations']} "
                 f"generations, {artefact['simulations']:,} simulations, {artefact['wall_time_s']:.0f} s, "
                 f"{'stopped by its rule' if artefact['converged'] else 'NOT converged (stopped by a guard)'}. "
                 f"Replicates: {len(artefact['predictive_seeds'])} posterior predictive runs at scale "
                 f"{artefact['scale']}, each a joint draw"
                 + (f", recomputed on {artefact['predictive']['date']} from the same posterior draws with "
                    f"{artefact['predictive']['drawn']} parameters drawn (`renewal fit --predict`)"
                    if "predictive" in artefact else "")
                 + ". Written by `make tables` (`renewal fit --into README.md`).")
    return "\n".join(lines)
