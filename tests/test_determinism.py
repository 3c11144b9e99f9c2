"""Same scenario and seed, same results: in one process or many, byte for byte."""

from __future__ import annotations

import numpy as np

import model
from model.results.store import write_results
from model.simulation.streams import Stream, Streams
from tests.conftest import TEST_SCALE, renewal


def test_same_seed_gives_byte_identical_parquet_in_one_process(tmp_path):
    first = write_results(model.run("baseline", scale=TEST_SCALE, seed=5), tmp_path / "a")
    second = write_results(model.run("baseline", scale=TEST_SCALE, seed=5), tmp_path / "b")
    for name in ("monthly.parquet", "compounds.parquet"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_same_seed_gives_byte_identical_parquet_across_processes(tmp_path):
    here = write_results(model.run("baseline", scale=TEST_SCALE, seed=5), tmp_path / "here")
    done = renewal("run", "--scale", str(TEST_SCALE), "--seed", "5", "--quiet", "--out", str(tmp_path / "there"))
    assert done.returncode == 0, done.stderr
    for name in ("monthly.parquet", "compounds.parquet"):
        assert (here / name).read_bytes() == (tmp_path / "there" / name).read_bytes()


def test_different_seeds_give_different_runs():
    a = model.run("baseline", scale=TEST_SCALE, seed=5).monthly
    b = model.run("baseline", scale=TEST_SCALE, seed=6).monthly
    assert not a["population"].equals(b["population"])


def test_replicates_have_their_own_seeds_and_the_first_matches_a_single_run():
    three = model.run("baseline", scale=TEST_SCALE, seed=5, replicates=3)
    assert len(set(three.manifest["seeds"])) == 3
    assert three.monthly["replicate"].nunique() == 3
    one = model.run("baseline", scale=TEST_SCALE, seed=5, replicates=1).monthly
    first = three.monthly[three.monthly["replicate"] == 0].reset_index(drop=True)
    assert first.equals(one)


def test_replicates_in_worker_processes_equal_serial_replicates():
    serial = model.run("baseline", scale=TEST_SCALE, seed=8, replicates=3, parameter_draws=True)
    parallel = model.run("baseline", scale=TEST_SCALE, seed=8, replicates=3, parameter_draws=True, workers=2)
    assert parallel.monthly.equals(serial.monthly) and parallel.compounds.equals(serial.compounds)
    assert parallel.manifest["parameter_draws"] == serial.manifest["parameter_draws"]


def test_a_month_of_a_stream_draws_the_same_whatever_was_drawn_before():
    """Common random numbers month by month (model/simulation/streams.py): a submodel's draws in a month depend on
    the seed, the submodel, the part and the month only."""
    used, fresh = Streams(11), Streams(11)
    used.at(Stream.LEAVING, 7).random(1000)
    used.at(Stream.LEAVING, 7, part=1).random(3)
    month = used.at(Stream.LEAVING, 7).random(5)
    assert np.array_equal(month, fresh.at(Stream.LEAVING, 7).random(5))
    others = [fresh.at(Stream.LEAVING, 8), fresh.at(Stream.LEAVING, 7, part=1), fresh.at(Stream.RETURNING, 7),
              Streams(12).at(Stream.LEAVING, 7)]
    assert all(not np.array_equal(month, other.random(5)) for other in others)
