"""What to learn next: how much knowing an uncertainty before choosing would be worth (EVPPI, by binning).

Without more information the planners choose the policy with the best mean merit over the states of the
world (the preferred policy; merit is the outcome signed so that more is better). Were one uncertainty
resolved first, the choice could follow its value. Its expected value of partial perfect information
(EVPPI) is how much better the outcome would then be on average, in the outcome's units; the change
share is how often the choice would change: the share of the states of the world that lie in a bin
whose best policy is not the preferred one.

Estimated by binning the states by the uncertainty's value: quantile bins (`bins`, default 4), or one
bin per distinct value when it takes no more values than that (a grid uncertainty with 3 values gives
3 bins). In each bin the policy with the best mean merit is chosen, and

    EVPPI = sum over bins of (bin share x (best mean merit in the bin - the preferred policy's mean merit in the bin)),

which is the usual sum of (bin share x best mean merit in the bin) minus the best overall mean merit,
written as a sum of terms that are never negative: EVPPI >= 0 exactly, with nothing clipped. The
expected value of perfect information on everything at once (EVPI, one state of the world per bin) is
the upper bound of every EVPPI.

Binning overestimates EVPPI when a bin holds few states: the best of several noisy bin means is biased
upwards, so even an uncertainty that is pure noise gets an EVPPI above zero (a known bias of the
binning estimator; Strong & Oakley 2013, Medical Decision Making 33(6):755-766). Each row therefore
gives the states per bin and a noise floor: the mean EVPPI of bins of the same sizes filled at random
(the states shuffled, NOISE_SHUFFLES times, from a fixed seed, so the floor is reproducible). An EVPPI
near its noise floor says nothing about the uncertainty.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULT_BINS = 4
NOISE_SHUFFLES = 200
NOISE_SEED = 20130601  # any fixed seed: the floor is a property of the bin sizes, not of this number


def bin_labels(values: pd.Series, bins: int = DEFAULT_BINS) -> np.ndarray:
    """Each state's bin (0, 1, ...) by this dimension's value: one bin per distinct value when there are
    no more than `bins` of them, else quantile bins (fewer when ties make quantiles coincide)."""
    distinct = np.sort(values.unique())
    if len(distinct) <= bins:
        return np.searchsorted(distinct, values.to_numpy())
    return pd.qcut(values, bins, labels=False, duplicates="drop").to_numpy()


def binned_value(merits: np.ndarray, labels: np.ndarray, preferred: int) -> tuple[float, float, list[int]]:
    """For a (state x policy) merit matrix split into bins: the EVPPI, the share of states in bins whose
    best policy beats the preferred one, and each bin's best policy (the first of equals)."""
    evppi, changed, best = 0.0, 0.0, []
    for label in np.unique(labels):
        inside = merits[labels == label].mean(axis=0)
        share = np.mean(labels == label)
        choice = int(np.argmax(inside))
        gain = inside[choice] - inside[preferred]
        evppi += share * gain
        changed += share if gain > 0 else 0.0
        best.append(choice if gain > 0 else preferred)
    return float(evppi), float(changed), best


def evpi(merits: np.ndarray) -> float:
    """Perfect information on everything: in each state the best policy, against the preferred one."""
    preferred = int(np.argmax(merits.mean(axis=0)))
    return float(np.mean(merits.max(axis=1) - merits[:, preferred]))


def noise_floor(merits: np.ndarray, labels: np.ndarray, preferred: int) -> float:
    """The mean EVPPI of bins of the same sizes filled with states drawn at random: what binning gives an
    uncertainty that decides nothing."""
    rng = np.random.default_rng(NOISE_SEED)
    return float(np.mean([binned_value(merits, rng.permutation(labels), preferred)[0]
                          for _ in range(NOISE_SHUFFLES)]))


def information(merits: pd.DataFrame, dimensions: pd.DataFrame, bins: int = DEFAULT_BINS) -> pd.DataFrame:
    """One row per dimension that varies (the columns of `dimensions`, one row per state of the world as
    in `merits`, whose columns are the policies), largest EVPPI first: its bins, the states per bin, the
    EVPPI, its noise floor, the change share and the bins in which another policy than the preferred one is
    best ('value range: policy; ...', empty when none)."""
    matrix = merits.to_numpy(float)
    preferred = int(np.argmax(matrix.mean(axis=0)))
    rows = []
    for name in dimensions.columns:
        values = dimensions[name]
        if values.nunique() < 2:
            continue
        labels = bin_labels(values, bins)
        value, changed, best = binned_value(matrix, labels, preferred)
        sizes = np.bincount(labels)
        ranges = [(values[labels == label].min(), values[labels == label].max()) for label in np.unique(labels)]
        rows.append({"dimension": name, "bins": len(sizes), "states_per_bin_min": int(sizes.min()),
                     "states_per_bin_max": int(sizes.max()), "evppi": value,
                     "noise_floor": noise_floor(matrix, labels, preferred), "change_share": changed,
                     "changed_bins": "; ".join(f"{_span(low, high)}: {merits.columns[choice]}"
                                               for (low, high), choice in zip(ranges, best) if choice != preferred)})
    columns = ["dimension", "bins", "states_per_bin_min", "states_per_bin_max", "evppi", "noise_floor", "change_share",
               "changed_bins"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values("evppi", ascending=False, kind="stable").reset_index(drop=True)


def _span(low: float, high: float) -> str:
    return f"{low:g}" if low == high else f"{low:g} to {high:g}"
