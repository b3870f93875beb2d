"""``eventwire extract --engine dask``: the events of a local run, from tasks on a Dask cluster.

Most tests share one in-process LocalCluster (two workers as threads) and reach it by its address, the way
``--scheduler`` does; the CLI test starts the engine's own LocalCluster of two worker processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eventwire import cli, dask_engine, ingest
from eventwire.dask_engine import DaskOptions, split
from eventwire.resources import data_path
from eventwire.run import RunOptions, extract

pytest.importorskip("distributed")

FIXTURES = Path(__file__).parent / "fixtures" / "dask"
REPORTS, METADATA = FIXTURES / "reports", FIXTURES / "metadata.csv"
DEMO = data_path("demo")
BAD = "c_bad_record.json"
# The two reports of one drone strike: the first and the last file, so never in one partition of several.
SAME_EVENT = ["a_tal_tamr_drone_wire", "e_tal_tamr_drone_local"]


@pytest.fixture(scope="module")
def scheduler() -> str:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0", silence_logs=40
    ) as cluster:
        yield cluster.scheduler_address


def _quiet(line: str) -> None:
    pass


def _run(tmp_path: Path, name: str, inputs: list[Path], metadata: Path, **kw):
    out = tmp_path / f"{name}.jsonl"
    lines: list[str] = []
    opts = RunOptions(
        [str(p) for p in inputs], metadata=str(metadata), db=str(tmp_path / f"{name}.db"), out=str(out), **kw
    )
    summary = extract(opts, report=lines.append)
    return summary, [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()], lines


def _run_fixtures_in_5_partitions(tmp_path: Path, scheduler: str):
    """The fixture reports, one file per partition, with Parquet partitions in tmp_path/parts."""
    parts = str(tmp_path / "parts")
    return _run(
        tmp_path,
        "dask",
        [REPORTS],
        METADATA,
        dask=DaskOptions(scheduler=scheduler, partitions=5, parquet_dir=parts),
    )


def _key(event: dict) -> tuple:
    return (
        event["event_type"],
        event["sub_event_type"],
        event["event_date"],
        event["location"],
        event["latitude"],
        event["longitude"],
        event["actor1"],
        event["actor2"],
        event["fatalities"],
        tuple(event["article_ids"]),
    )


# --------------------------------------------------------------------------- partitions


def test_split_cuts_contiguous_runs_of_about_equal_size() -> None:
    sizes = [10, 10, 10, 10, 100, 10, 10, 10]
    parts = split(sizes, 3)
    assert [i for part in parts for i in part] == list(range(len(sizes)))  # every item once, in order
    assert len(parts) == 3 and all(parts)
    assert parts[1] == range(4, 5)  # the big file alone: a third of the bytes is about 57
    assert split([5, 0, 7], 10) == [range(0, 1), range(1, 2), range(2, 3)]  # never more runs than items
    assert split([3, 3, 3], 1) == [range(0, 3)]
    assert split([], 4) == []


def test_split_leaves_no_partition_empty_when_the_big_files_come_last() -> None:
    parts = split([1, 1, 1, 1000, 1000], 4)
    assert len(parts) == 4 and all(parts) and [i for p in parts for i in p] == [0, 1, 2, 3, 4]


# --------------------------------------------------------------------------- same events as a local run


def test_dask_gives_the_local_events_on_the_demo_corpus(tmp_path, scheduler) -> None:
    reports, meta = DEMO / "reports", DEMO / "metadata.csv"
    local, local_events, _ = _run(tmp_path, "local", [reports], meta)
    remote, remote_events, _ = _run(
        tmp_path, "dask", [reports], meta, workers=2, dask=DaskOptions(scheduler=scheduler, partitions=5)
    )
    assert remote.exit_status == local.exit_status == 0
    assert (remote.articles_new, remote.events_new, remote.events_merged) == (
        local.articles_new,
        local.events_new,
        local.events_merged,
    )
    assert len(local_events) > 20
    assert sorted(map(_key, remote_events)) == sorted(map(_key, local_events))
    assert remote_events == local_events  # every field, event ids included, in the same order


def test_two_reports_of_one_event_in_two_partitions_become_one_event(tmp_path, scheduler) -> None:
    _, local_events, local_lines = _run(tmp_path, "local", [REPORTS], METADATA)
    remote, remote_events, remote_lines = _run_fixtures_in_5_partitions(tmp_path, scheduler)
    assert len(remote.parquet) == 5  # one partition per file: the two reports are in the first and last
    merged = [e for e in remote_events if sorted(e["article_ids"]) == SAME_EVENT]
    assert len(merged) == 1 and merged[0]["sub_event_type"] == "Air/drone strike"
    assert merged[0]["fatalities"] == 3
    assert not any(set(e["article_ids"]) < set(SAME_EVENT) for e in remote_events)
    assert sorted(map(_key, remote_events)) == sorted(map(_key, local_events))
    assert len(remote_events) == len(local_events) == 3
    # the bad file: the same one line as the local engine, the other four stored
    assert [line for line in remote_lines if BAD in line] == [line for line in local_lines if BAD in line]
    assert len([line for line in remote_lines if BAD in line]) == 1
    assert remote.exit_status == 1 and remote.articles_new == 4 and len(remote.errors) == 1


def test_parquet_partitions_hold_each_event_once_in_the_partition_of_its_first_report(
    tmp_path, scheduler
) -> None:
    import pyarrow.parquet as pq

    summary, events, _ = _run_fixtures_in_5_partitions(tmp_path, scheduler)
    parquet = tmp_path / "parts"
    files = sorted(parquet.glob("part-*.parquet"))
    assert [str(f) for f in files] == [name for name, _ in summary.parquet]
    tables = [pq.read_table(f) for f in files]
    assert [t.num_rows for t in tables] == [n for _, n in summary.parquet]
    assert sum(t.num_rows for t in tables) == len(events)
    assert "article_ids" in tables[0].column_names and "event_date" in tables[0].column_names
    whole = pq.read_table(parquet)  # the folder reads as one dataset
    assert sorted(whole.column("event_id").to_pylist()) == sorted(e["event_id"] for e in events)
    # the merged event sits in the partition of the wire report (the first file), not in the last one
    first = tables[0].to_pylist()
    assert [sorted(r["article_ids"]) for r in first] == [SAME_EVENT]
    assert tables[2].num_rows == 0  # the partition of the bad file
    assert all(SAME_EVENT[1] not in r["article_ids"] for r in tables[4].to_pylist())


def test_a_second_run_changes_nothing_and_still_writes_every_partition(tmp_path, scheduler) -> None:
    import pyarrow.parquet as pq

    parquet = tmp_path / "parts"
    opts = dict(dask=DaskOptions(scheduler=scheduler, partitions=3, parquet_dir=str(parquet)))
    first, events, _ = _run(tmp_path, "again", [REPORTS], METADATA, **opts)
    again, events_again, _ = _run(tmp_path, "again", [REPORTS], METADATA, **opts)
    assert first.articles_new == 4 and again.articles_new == 0 and again.articles_known == 4
    assert again.events_new == 0 and events_again == events
    assert pq.read_table(parquet).num_rows == len(events) == 3


def test_an_article_id_with_new_content_is_analysed_under_its_new_id(tmp_path, scheduler) -> None:
    """The id rename happens on the client after the workers analysed the article under its old id."""
    name = "b_convoy_ambush.txt"
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    (tmp_path / "v1" / name).write_text((REPORTS / name).read_text(encoding="utf-8"), encoding="utf-8")
    # another report under the same file name (not a near copy, so it is extracted)
    other = (REPORTS / "d_lattakia_strike.txt").read_text(encoding="utf-8")
    (tmp_path / "v2" / name).write_text(other, encoding="utf-8")
    found = []
    for engine, kw in (("local", {}), ("dask", {"dask": DaskOptions(scheduler=scheduler)})):
        db = str(tmp_path / f"{engine}.db")
        extract(RunOptions([str(tmp_path / "v1")], metadata=str(METADATA), db=db), _quiet)
        summary, events, lines = _run(tmp_path, engine, [tmp_path / "v2"], METADATA, **kw)
        assert summary.articles_new == 1 and any("stored this version as" in line for line in lines)
        found.append(events)
    assert found[0] == found[1]
    (event,) = found[1]
    assert event["sub_event_type"] == "Air/drone strike"
    assert event["article_ids"][0].startswith("b_convoy_ambush@")
    assert all(e["article_id"] == event["article_ids"][0] for e in event["evidence"])


def test_a_failed_task_names_its_files_and_the_other_partitions_are_stored(
    tmp_path, scheduler, monkeypatch
) -> None:
    real = ingest.read_path

    def broken(path, **kw):  # the workers are threads of this process: they see the patch
        if "d_lattakia" in str(path):
            raise MemoryError("worker ran out of memory")
        return real(path, **kw)

    monkeypatch.setattr(ingest, "read_path", broken)
    summary, events, lines = _run(
        tmp_path, "dask", [REPORTS], METADATA, dask=DaskOptions(scheduler=scheduler, partitions=5)
    )
    failed = [line for line in lines if "Dask task failed" in line]
    assert len(failed) == 1 and "d_lattakia_strike.txt" in failed[0] and "MemoryError" in failed[0]
    assert summary.articles_new == 3 and len(summary.errors) == 2  # the bad file and the failed task
    assert sorted(e["article_ids"][0] for e in events) == ["a_tal_tamr_drone_wire", "b_convoy_ambush"]


# --------------------------------------------------------------------------- the command line


def test_the_cli_runs_the_dask_engine_on_its_own_local_cluster_of_processes(tmp_path) -> None:
    local = tmp_path / "local.jsonl"
    args = [str(REPORTS), "--metadata", str(METADATA)]
    assert cli.main(["extract", *args, "--db", str(tmp_path / "l.db"), "--out", str(local)]) == 1
    out, parts = tmp_path / "dask.jsonl", tmp_path / "parts"
    env = {**os.environ, "PYTHONPATH": str(Path(cli.__file__).parents[1])}
    engine = ["--engine", "dask", "--workers", "2", "--partitions", "2"]
    outputs = ["--out", str(out), "--parquet-dir", str(parts)]
    done = subprocess.run(
        [sys.executable, "-m", "eventwire", "extract", *args, *engine, *outputs],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr  # the bad file
    lines = done.stderr.splitlines()
    assert [line for line in lines if BAD in line] == [f"eventwire: error: {REPORTS / BAD}: " + _reason()]
    assert f"eventwire: wrote 3 events in 2 Parquet files to {parts}" in lines
    assert not any("Traceback" in line for line in lines)
    assert out.read_text(encoding="utf-8") == local.read_text(encoding="utf-8")
    assert not (tmp_path / "eventwire.db").exists()  # with --out and --parquet-dir: a temporary database


def _reason() -> str:
    (error,) = [e for e in ingest.read_path(REPORTS / BAD)]
    return error.reason


def test_without_the_dask_extra_one_line_says_what_to_install(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now raises ImportError
    code = cli.main(["extract", str(REPORTS), "--engine", "dask", "--db", str(tmp_path / "x.db")])
    err = capsys.readouterr().err
    assert code == cli.EXIT_USAGE
    assert err == f"eventwire: error: {dask_engine.NEEDS_EXTRA}\n"
    assert "pip install 'eventwire[dask]'" in err
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler: only with --engine dask"),
        (["--partitions", "3", "--parquet-dir", "p"], "--partitions, --parquet-dir: only with --engine dask"),
        (["-", "--engine", "dask"], "standard input (-) is not supported"),
    ],
)
def test_engine_options_are_checked(tmp_path, capsys, extra, message) -> None:
    code = cli.main(["extract", str(REPORTS), *extra, "--db", str(tmp_path / "x.db")])
    err = capsys.readouterr().err
    assert code == cli.EXIT_USAGE and message in err and err.count("\n") == 1


def test_an_unreachable_scheduler_is_one_line(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(dask_engine, "_CONNECT_SECONDS", 1)
    code = cli.main(
        ["extract", str(REPORTS), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", "--db", "x.db"]
    )
    err = capsys.readouterr().err
    assert code == cli.EXIT_USAGE
    assert err.startswith("eventwire: error: --scheduler tcp://127.0.0.1:9: cannot connect")
    assert err.count("\n") == 1


def test_dask_stores_into_postgresql_as_the_local_engine_does(tmp_path, scheduler, pg_url) -> None:
    from eventwire import store

    _, local_events, _ = _run(tmp_path, "local", [REPORTS], METADATA)
    summary = extract(
        RunOptions([str(REPORTS)], metadata=str(METADATA), db=pg_url, dask=DaskOptions(scheduler=scheduler)),
        _quiet,
    )
    assert summary.articles_new == 4
    st = store.open_store(pg_url)
    try:
        out = tmp_path / "pg.jsonl"
        st.export(out)
    finally:
        st.close()
    pg_events = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(map(_key, pg_events)) == sorted(map(_key, local_events))
