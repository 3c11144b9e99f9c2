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
gives the states per bin and a noise floor: the mean EVPPI of bins of the same sizes filled at random as
the design fills them (NOISE_SHUFFLES shuffles from a fixed seed, so the floor is reproducible). The
states of one replicate share its seed and its parameter draws, so they are not independent: a dimension
that takes one value per replicate (a drawn parameter) is shuffled replicate by replicate, its bins
filled with whole replicates; any other (an uncertainty of the grid, whose every value each replicate
meets) is shuffled within each replicate. Shuffling single states instead would split the replicates
between bins and put the floor of a drawn parameter too low (in docs/robustness.md's worked example, at a
quarter to a half of what random bins of whole replicates give). An EVPPI near its noise floor says nothing
about the uncertainty.
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


def shuffled(labels: np.ndarray, replicates: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The labels of one noise shuffle, as the design fills the bins: whole replicates shuffled when the
    labels take one value per replicate (a drawn parameter), else the states shuffled within each replicate."""
    groups, first, inverse = np.unique(replicates, return_index=True, return_inverse=True)
    if (labels == labels[first][inverse]).all():
        return rng.permutation(labels[first])[inverse]
    out = labels.copy()
    for group in range(len(groups)):
        inside = np.flatnonzero(inverse == group)
        out[inside] = rng.permutation(labels[inside])
    return out


def noise_floor(merits: np.ndarray, labels: np.ndarray, preferred: int, replicates: np.ndarray | None = None) -> float:
    """The mean EVPPI of bins of the same sizes filled at random as the design fills them (`shuffled`; each
    state its own replicate when `replicates` is None): what binning gives an uncertainty that decides nothing."""
    replicates = np.arange(len(labels)) if replicates is None else np.asarray(replicates)
    rng = np.random.default_rng(NOISE_SEED)
    return float(np.mean([binned_value(merits, shuffled(labels, replicates, rng), preferred)[0]
                          for _ in range(NOISE_SHUFFLES)]))


def information(merits: pd.DataFrame, dimensions: pd.DataFrame, bins: int = DEFAULT_BINS,
                replicates: np.ndarray | None = None) -> pd.DataFrame:
    """One row per dimension that varies (the columns of `dimensions`, one row per state of the world as
    in `merits`, whose columns are the policies; `replicates`, each state's replicate, for the noise floor),
    largest EVPPI first: its bins, the states per bin, the EVPPI, its noise floor, the change share and the
    bins in which another policy than the preferred one is best, as `changed` ((lowest value, highest value,
    policy) per such bin) and as `changed_bins` in words ('value range: policy; ...', empty when none)."""
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
        spans = tuple((float(low), float(high), str(merits.columns[choice]))
                      for (low, high), choice in zip(ranges, best) if choice != preferred)
        rows.append({"dimension": name, "bins": len(sizes), "states_per_bin_min": int(sizes.min()),
                     "states_per_bin_max": int(sizes.max()), "evppi": value,
                     "noise_floor": noise_floor(matrix, labels, preferred, replicates), "change_share": changed,
                     "changed_bins": changed_text(spans), "changed": spans})
    columns = ["dimension", "bins", "states_per_bin_min", "states_per_bin_max", "evppi", "noise_floor", "change_share",
               "changed_bins", "changed"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values("evppi", ascending=False, kind="stable").reset_index(drop=True)


def changed_text(spans: tuple[tuple[float, float, str], ...], to: str = " to ") -> str:
    """The bins where another policy is best, in words: '0.1 to 0.2: policy; 0.25: policy' (`to` joins a
    range's ends: " to " in English, " 至 " in Chinese)."""
    return "; ".join(f"{_span(low, high, to)}: {policy}" for low, high, policy in spans)


def _span(low: float, high: float, to: str = " to ") -> str:
    return f"{low:g}" if low == high else f"{low:g}{to}{high:g}"
