"""`renewal sweep`: run every design point of a spec with replicates, on a laptop or a Dask cluster, and resume.

Each run is `model.run(base, overrides=point, scale=..., seed=replicate seed, replicates=1)`, keyed by
its run hash and the code version. Runs go through the `concurrent.futures.Executor` interface: a
thread in this process when there is one worker (serial), a local process pool, or the executor of
a Dask client. Workers return tables; only this client writes the store, one run at a time as it
arrives. A re-run skips every run already stored, so an interrupted sweep resumes where it stopped;
a run that raises is stored as failed with its error, the others go on, and the next re-run tries
it again.
"""

from __future__ import annotations

import json
import multiprocessing
import signal
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from model.inputs.errors import InputError
from model.inputs.scenario import ResolvedScenario
from model.inputs.versioning import run_code_version
from model.results.outcomes import OUTCOMES, outcome_table, what_if_period
from model.results.run import run
from model.sweeps.plan import RunTask, plan
from model.sweeps.spec import Sweep
from model.sweeps.store import Store
from model.sweeps.summary import Summary, error_line, format_summary, summarise

Progress = Callable[[int, int], None]  # (runs done, runs to do in this invocation)


@dataclass
class SweepReport:
    """What one invocation did: how many runs were stored before, run now, and failed; the summary."""

    sweep: Sweep
    store: Store
    tasks: list[RunTask]
    stored_before: int = 0
    run_now: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # run key -> error of this sweep's failed runs
    summary: Summary | None = None


def execute(scenario: ResolvedScenario, key: str) -> dict:
    """On a worker: run one scenario; return its tables and manifest, or the error it raised as text."""
    try:
        _check_same_model(scenario, key)
        result = run(scenario)
    except Exception:
        return {"error": traceback.format_exc()}
    return {"monthly": result.monthly, "compounds": result.compounds, "manifest": result.manifest}


def _check_same_model(scenario: ResolvedScenario, key: str) -> None:
    """A worker with other model code or another registry would store wrong numbers under this key."""
    expected = key.rpartition("-")[2]
    if run_code_version() != expected:
        raise RuntimeError(f"this worker runs model code version {run_code_version()}, the client {expected}; "
                           "install the same version of the model on every worker")
    if scenario.registry().hash != scenario.registry_hash:
        raise RuntimeError(f"this worker's parameter registry ({scenario.registry().hash}) differs from the "
                           f"client's ({scenario.registry_hash})")


# --------------------------------------------------------------------------------------- executors
@contextmanager
def open_executor(workers: int = 1, scheduler: str | None = None) -> Iterator[tuple[Executor, int]]:
    """The executor and how many runs it works on at once: a Dask cluster's, a process pool, or serial."""
    if scheduler:
        from dask.distributed import Client  # imported only for clusters: it is slow to import

        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise InputError("--scheduler", scheduler, f"cannot reach the Dask scheduler ({exc})") from None
        with client:  # closing the client cancels whatever is still queued
            yield client.get_executor(pure=False), max(1, sum(client.nthreads().values()))
        return
    if workers < 1:
        raise InputError("--workers", str(workers), "must be a whole number >= 1")
    if workers == 1:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sweep-run")  # serial, in this process
    else:
        executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_leave_interrupts_to_the_client)
    with executor:
        yield executor, workers


def _leave_interrupts_to_the_client() -> None:
    """Ctrl-C reaches the whole process group; the client stops the sweep, the workers ignore it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# ---------------------------------------------------------------------------------------- the sweep
def run_sweep(sweep: Sweep, store: Store, executor: Executor, parallelism: int,
              progress: Progress | None = None, planning: Progress | None = None) -> SweepReport:
    """Run what is missing from the store, store each run as it arrives, then summarise the sweep
    (`planning` hears how many design points are planned, `progress` how many runs are done)."""
    report = SweepReport(sweep, store, plan(sweep, planning))
    with store.open():
        stored = store.statuses()
        todo = list({t.key: t for t in report.tasks if stored.get(t.key) != "ok"}.values())
        report.stored_before = len({t.key for t in report.tasks}) - len(todo)
        if progress:
            progress(0, len(todo))
        for done, (task, outcome) in enumerate(_results(sweep, todo, executor, parallelism), start=1):
            _store(store, sweep, task, outcome)
            report.run_now = done
            if progress:
                progress(done, len(todo))
        report.summary = summarise(sweep, report.tasks, store)
        failed = report.summary.runs.query("status != 'ok'").drop_duplicates("run_key")
        report.failures = dict(zip(failed["run_key"], failed["error"]))
    return report


def _results(sweep: Sweep, todo: list[RunTask], executor: Executor, parallelism: int) -> Iterator[tuple[RunTask, dict]]:
    """Each task with what its worker returned, as they finish; a few more are queued than run at once,
    so workers never wait and the client never holds many results in memory."""
    queue = iter(todo)
    running: dict[Future, tuple[RunTask, dict | None]] = {}

    def top_up() -> None:
        while len(running) < 2 * parallelism + 1:
            task = next(queue, None)
            if task is None:
                return
            scenario, drawn = sweep.replicate_scenario(task.point, task.replicate, task.seed)
            running[executor.submit(execute, scenario, task.key)] = (task, drawn)

    try:
        top_up()
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                task, drawn = running.pop(future)
                yield task, {**_outcome(future), "drawn": drawn}
            top_up()
    finally:
        for future in running:
            future.cancel()


def _outcome(future: Future) -> dict:
    """What the worker returned; an error the executor raised instead (a lost worker) is a failed run too."""
    try:
        return future.result()
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}


def _store(store: Store, sweep: Sweep, task: RunTask, outcome: dict) -> None:
    row = {
        "run_key": task.key, "run_hash": task.key.rpartition("-")[0], "code_version": task.key.rpartition("-")[2],
        "status": "failed" if "error" in outcome else "ok", "error": outcome.get("error"),
        "sweep": sweep.name, "base": sweep.base_name, "point": task.point, "replicate": task.replicate,
        "seed": task.seed, "scale": sweep.scale, **sweep.points[task.point],
    }
    if "error" in outcome:
        scenario, _ = sweep.replicate_scenario(task.point, task.replicate, task.seed)
        manifest = {"resolved": scenario.canonical(), "seed": task.seed, "scale": sweep.scale}
        store.write_failure(task.key, {**row, **{o.name: np.nan for o in OUTCOMES}, "wall_time_s": np.nan,
                                       "manifest": json.dumps(manifest)})
        return
    # a drawing base's values are baked into the run (Sweep.replicate_scenario): the manifest records them
    manifest = outcome["manifest"]
    if outcome["drawn"] is not None:
        manifest = {**manifest, "parameter_draws": [outcome["drawn"]]}
    outcomes = outcome_table(outcome["monthly"], what_if_period(manifest)).iloc[0].to_dict()
    store.write_run(task.key, {**row, **outcomes, "wall_time_s": manifest["wall_time_s"],
                               "manifest": json.dumps(manifest, ensure_ascii=False, default=str)},
                    outcome["monthly"], outcome["compounds"])


def format_report(report: SweepReport) -> str:
    """What `renewal sweep` prints when it is done."""
    sweep, summary = report.sweep, report.summary
    directory = summary.directory
    lines = [
        f"sweep {sweep.name}: {sweep.design} design over {', '.join(sweep.keys)} on '{sweep.base_name}' at scale "
        f"{sweep.scale}: {len(sweep.points)} points x {sweep.replicates} replicates = {sweep.runs} runs",
        f"{report.stored_before} already stored, {report.run_now} run now, {len(report.failures)} failed",
        "",
        format_summary(sweep, summary),
        "",
        f"per point (mean and 5-95% band over replicates): {directory / 'points.csv'}",
        f"per run: {directory / 'runs.csv'}" + (f"; indices: {directory / 'indices.csv'}"
                                                 if summary.indices is not None else ""),
        f"index: SELECT * FROM read_parquet('{report.store.root / 'index' / '*.parquet'}', union_by_name=true)",
    ]
    if report.failures:
        lines.append(f"\n{len(report.failures)} run(s) failed; run the same command again to retry them:")
        failed = summary.runs[summary.runs["status"] != "ok"].drop_duplicates("run_key")
        for row in failed.head(5).itertuples():
            lines.append(f"  point {row.point}, replicate {row.replicate} ({row.run_key}): {error_line(row.error)}")
    return "\n".join(lines)
