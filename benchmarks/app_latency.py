"""How long the planners' app takes from a changed setting to a redrawn page (not a test: a measurement).

    .venv/bin/python -m benchmarks.app_latency [--scale 0.05] [--replicates 8] [--moves 4]

Drives app.py with Streamlit's AppTest (the same script the server runs, without the browser) and
reports, for the app's default scale and replicates unless told otherwise:
- first load: the baseline run (the setting and its baseline are the same run) and the page;
- slider moves: each a new setting, so one new run (the baseline in the same world comes from cache);
- unchanged settings: the page again, every run from cache;
and, separately, the model's share of a slider move (model.run alone). The issue's target is a
redraw within 2 s of moving a slider.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

import model
from model.app.settings import APP_REPLICATES, APP_SCALE, Settings

APP = Path(__file__).resolve().parent.parent / "app.py"
MOVES = [("ctl:stalls.supply", 1000), ("ctl:talent.housing_units", 500), ("ctl:renovation.budget", 300),
         ("ctl:stalls.score_threshold", 50), ("ctl:disputes.capacity", 5000), ("ctl:stalls.ban_months", 6)]


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=APP_SCALE)
    parser.add_argument("--replicates", type=int, default=APP_REPLICATES)
    parser.add_argument("--moves", type=int, default=4, help=f"slider moves to time (at most {len(MOVES)})")
    args = parser.parse_args()

    app = AppTest.from_file(str(APP), default_timeout=3600)
    app.query_params = {"scale": str(args.scale), "replicates": str(args.replicates)}
    first = timed(app.run)
    moves = []
    for key, value in MOVES[: args.moves]:
        moves.append(timed(lambda: app.slider(key=key).set_value(value).run()))
        assert not app.exception, [e.value for e in app.exception]
    cached = timed(app.run)

    settings = Settings(scale=args.scale, replicates=args.replicates).with_value("stalls.supply", 1234)
    model_only = timed(lambda: model.run(settings.to_scenario(), allow_paths=False))

    print(f"app latency at scale {args.scale}, {args.replicates} replicates (AppTest, no browser)")
    print(f"  first load                      {first:6.2f} s")
    print(f"  slider move (median of {len(moves)})       {statistics.median(moves):6.2f} s   "
          f"(max {max(moves):.2f} s; target 2 s)")
    print(f"  unchanged settings (cache)      {cached:6.2f} s")
    print(f"  model.run alone for one move    {model_only:6.2f} s   "
          f"({model_only / args.replicates:.2f} s per replicate)")


if __name__ == "__main__":
    main()
