"""Outputs never delete or overwrite what the tool did not write (model/results/destination.py): a
destination that is not new, empty or an earlier output of the same kind is refused with one line,
exit 2, before any work; an earlier output is replaced only for the same run or with --force, and what
else its directory holds stays."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from model.inputs.locations import SCENARIO_DIR
from tests.conftest import ROOT, renewal

RUN = ("--scale", "0.01", "--quiet")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes), to show that nothing was lost or changed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def refused(done, where: str, expected: str) -> None:
    """One line naming the option and the path, exit 2, no traceback, no table printed (nothing ran)."""
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {where}") and expected in lines[0], done.stderr


def run_into(out: Path, *extra: str, scenario: str = "baseline"):
    return renewal("run", scenario, *RUN, "--out", str(out), *extra)


def test_a_non_empty_directory_that_holds_no_results_is_refused_and_kept(tmp_path):
    out = tmp_path / "mine"
    (out / "sub").mkdir(parents=True)
    (out / "notes.txt").write_text("my notes", encoding="utf-8")
    (out / "sub" / "data.csv").write_text("1,2", encoding="utf-8")
    before = snapshot(out)
    for extra in ((), ("--force",)):
        refused(run_into(out, *extra), f"--out: {out}", "is not empty and holds no results of `renewal run`")
        assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_rerunning_the_same_run_replaces_its_results_and_keeps_what_else_the_directory_holds(tmp_path):
    out = tmp_path / "run"
    assert run_into(out).returncode == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["written_by"] == "renewal run"
    (out / "notes.txt").write_text("my notes", encoding="utf-8")
    (out / "report-zh.html").write_text("<html>a report</html>", encoding="utf-8")
    (out / "extra").mkdir()
    (out / "extra" / "figure.png").write_bytes(b"\x89PNG")
    done = run_into(out)
    assert done.returncode == 0, done.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "my notes"
    assert (out / "report-zh.html").exists() and (out / "extra" / "figure.png").read_bytes() == b"\x89PNG"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no staging or old folder left behind


def test_the_default_results_directory_of_a_rerun_is_its_own(tmp_path):
    """The default path is keyed by the scenario hash: running the same scenario again needs no --force."""
    for _ in range(2):
        done = renewal("run", "baseline", *RUN, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    (folder,) = (tmp_path / "results").iterdir()
    assert folder.name.startswith("baseline-") and (folder / "monthly.parquet").exists()


def test_the_results_of_another_run_are_replaced_only_with_force(tmp_path):
    out = tmp_path / "run"
    assert run_into(out).returncode == 0
    (out / "notes.txt").write_text("my notes", encoding="utf-8")
    before = snapshot(out)
    refused(run_into(out, scenario="residents_pay_30"), f"--out: {out}",
            "holds the results of another run (baseline, ")
    assert snapshot(out) == before
    assert run_into(out, "--force", scenario="residents_pay_30").returncode == 0
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["scenario"] == "residents_pay_30"
    assert (out / "notes.txt").read_text(encoding="utf-8") == "my notes"


@pytest.mark.parametrize("where", [".", "..", "scenarios", "/"])
def test_the_working_directory_the_scenarios_or_a_folder_holding_them_are_refused(tmp_path, where):
    before = snapshot(SCENARIO_DIR)
    done = renewal("run", "baseline", *RUN, "--out", where, "--force", cwd=ROOT)
    refused(done, f"--out: {where}", "or holds it; give a new or empty directory")
    assert snapshot(SCENARIO_DIR) == before
    assert not list(ROOT.glob(".*.old-*")) and not list(ROOT.glob(".*.partial-*"))


def test_an_out_under_a_file_is_refused_before_the_run(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    refused(run_into(tmp_path / "file" / "out"), f"--out: {tmp_path / 'file' / 'out'}", f"{tmp_path / 'file'} is a file")
    refused(run_into(tmp_path / "file"), f"--out: {tmp_path / 'file'}", "is a file; give a directory")
    assert (tmp_path / "file").read_text(encoding="utf-8") == "x"


def test_a_report_never_overwrites_a_file_the_tool_did_not_write(tmp_path):
    run = tmp_path / "run"
    assert run_into(run).returncode == 0
    mine = tmp_path / "mine.html"
    mine.write_text("my page", encoding="utf-8")
    refused(renewal("report", str(run), "--out", str(mine)), f"--out: {mine}", "is not a report of `renewal report`")
    assert mine.read_text(encoding="utf-8") == "my page" and not (tmp_path / "mine_charts").exists()
    report = tmp_path / "report.html"
    for _ in range(2):  # a report the tool wrote is its own to rewrite
        assert renewal("report", str(run), "--out", str(report)).returncode == 0
    assert renewal("report", str(run), "--out", str(mine), "--force").returncode == 0
    assert mine.read_text(encoding="utf-8") != "my page"


def test_a_report_into_the_working_directory_or_under_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    refused(renewal("report", str(tmp_path), "--out", "."), "--out: .", "is the working directory or holds it")
    target = tmp_path / "file" / "report.html"
    refused(renewal("report", str(tmp_path), "--out", str(target)), f"--out: {target}", "is a file, not a directory")


def test_a_sweep_store_must_be_new_empty_or_a_store(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("design: grid\nreplicates: 1\nscale: 0.01\nvary:\n  renovation.resident_share: {values: [0.2]}\n",
                    encoding="utf-8")
    store = tmp_path / "mine"
    store.mkdir()
    (store / "notes.txt").write_text("my notes", encoding="utf-8")
    done = renewal("sweep", str(spec), "--store", str(store), "--workers", "1", "--quiet")
    refused(done, f"--store: {store}", "is not empty and is not a sweep store")
    assert snapshot(store) == {"notes.txt": b"my notes"}
    refused(renewal("sweep", str(spec), "--store", "scenarios", "--workers", "1", "--quiet", cwd=ROOT),
            "--store: scenarios", "is the project's scenarios or holds it")


@pytest.mark.parametrize("address", ["foo://127.0.0.1:8786", "127.0.0.1:8786x", "tcp://127.0.0.1:0",
                                     "tcp://127.0.0.1:65536", "tcp://:8786", "tcp://host:port"])
def test_a_malformed_scheduler_address_is_refused_before_connecting(tmp_path, address):
    spec = tmp_path / "spec.yaml"
    spec.write_text("design: grid\nreplicates: 1\nscale: 0.01\nvary:\n  renovation.resident_share: {values: [0.2]}\n",
                    encoding="utf-8")
    done = renewal("sweep", str(spec), "--scheduler", address, "--store", str(tmp_path / "store"), "--quiet")
    refused(done, f"--scheduler: {address}", "write tcp://HOST:PORT or tls://HOST:PORT")
    assert not (tmp_path / "store").exists()
