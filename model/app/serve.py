"""`make app`: serve the planners' app with the model already loaded and its worker processes started.

`streamlit run app.py` imports the page when the first visitor arrives, so the model's libraries (Mesa and
pandas, SciPy's statistics, Matplotlib: about 4 s on this 2-core machine) would load while that visitor waits,
and the two worker processes would start only after the first screen, so that the first lever moved waits for
them too. Here both happen as the server starts; the page then finds the modules imported and the workers ready.

    python -m model.app.serve [streamlit run's options, e.g. --server.port 8502]
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from model.app.settings import APP_WORKERS
from model.results.run import warm_workers

APP = Path(__file__).resolve().parents[2] / "app.py"
# What the page imports that takes longest to load (model.results.run, imported above, brings Mesa and pandas).
PRELOADED = ("model.app.charts", "model.results.marks", "model.results.sharpen")


def main(argv: list[str] | None = None) -> None:
    for name in PRELOADED:
        importlib.import_module(name)
    warm_workers(APP_WORKERS)
    from streamlit.web import cli  # here, not above: a worker process imports this module and needs no server

    cli.main(["run", str(APP), *(sys.argv[1:] if argv is None else argv)], prog_name="streamlit")


if __name__ == "__main__":
    main()
