"""Amenity: what ties the county's loop together (README, "the causal loop").

Sound compounds, lively street blocks and occupied free stalls make staying and returning more
attractive and draw businesses in. Each part is a share between 0 and 1 (old and problem compounds
without failing items now, which renovation raises and ageing lowers; businesses in the street blocks against a saturation level; occupied stalls against
theirs), weighted by assumed weights (registry `amenity.*`): the sources say that these things
matter, not how much, so every outcome that rests on them is marked as resting on assumptions.
"""

from __future__ import annotations

from model.inputs.params import Params
from model.simulation.compounds import Compounds


def amenity(p: Params, compounds: Compounds, businesses_in_blocks: int, stalls_occupied: int) -> float:
    """This month's amenity index (0 .. the sum of the weights)."""
    counted = compounds.old_or_problem
    sound = (~compounds.problems[counted].any(axis=1)).mean() if counted.any() else 0.0
    return float(p.now("amenity.weight_renovation") * sound
                 + p.now("amenity.weight_street_blocks") * min(businesses_in_blocks / p.now("amenity.street_block_saturation"), 1.0)
                 + p.now("amenity.weight_stalls") * min(stalls_occupied / p.now("amenity.stall_saturation"), 1.0))
