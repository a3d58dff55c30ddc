"""`airflow dags test baoxue_nightly` for sample delivery dates, in real Airflow with real spark-submit."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from conftest import SAMPLE, TEST_KEY, Airflow, task_states

MARTS = ["cohort", "alerts", "watchlist", "indicators", "completeness", "timeliness", "risk"]
# driver: one -- the whole night is one spark-submit (stage, core, marts, analyst_db, action_lists)
STEPS = ["wait_for_delivery", "nightly"]


def tree_digest(root: Path) -> dict[str, str]:
    """SHA-256 of every data and state file (the analysts' DuckDB file and the snapshot of hard links its views
    read, _analyst/<build>/, are rebuilt by every run, not compared byte for byte)."""
    out = {}
    for f in sorted(root.rglob("*")):
        rel = str(f.relative_to(root))
        if f.is_file() and not rel.startswith(("baoxue.duckdb", "_analyst/", "_state/run.lock", "_txn")):
            out[rel] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def snapshot_rows(wh: Path, table: str, as_of: str) -> list[tuple]:
    folder = wh / "marts" / table / f"as_of={as_of}"
    if not folder.is_dir():
        return []
    with duckdb.connect() as con:
        return sorted(
            con.execute(f"select * from read_parquet('{folder}/*.parquet')").fetchall(), key=lambda r: json.dumps(r, default=str)
        )


@pytest.fixture(scope="module")
def nightly(airflow_home, tmp_path_factory):
    base = tmp_path_factory.mktemp("nightly")
    variables = {
        "baoxue_landing": SAMPLE,
        "baoxue_warehouse": base / "wh",
        "baoxue_outputs": base / "out",
        "baoxue_restricted": base / "restricted",
    }
    return Airflow(airflow_home, variables, {"BAOXUE_DELIVERY_TIMEOUT_MINUTES": "0.05", "BAOXUE_DELIVERY_POKE_MINUTES": "0.02"}), base


def test_nightly_for_a_sample_delivery_builds_what_the_embedded_run_built(nightly, sample_warehouse):
    af, base = nightly
    rc, out, secs = af.dags_test("baoxue_nightly", "2025-09-01")
    assert rc == 0, out[-5000:]
    assert task_states(out) == {t: "success" for t in STEPS}, task_states(out)
    wh = base / "wh"
    state = json.loads((wh / "_state" / "deliveries" / "2025-09-01.json").read_text())
    assert state["phase"] == "marts"
    # the snapshot as of 2025-09-01 equals the one the embedded (./baoxue run) build of the whole sample made
    compared = 0
    for t in MARTS:
        mine = snapshot_rows(wh, t, "2025-09-01")
        assert mine == snapshot_rows(sample_warehouse, t, "2025-09-01"), t
        compared += len(mine)
    assert compared > 0
    with duckdb.connect(str(wh / "baoxue.duckdb"), read_only=True) as con:
        assert con.execute("select max(as_of) from indicators").fetchone()[0].isoformat() == "2025-09-01"
    # the pseudonym key came from the Airflow Variable and never shows in the task logs
    assert TEST_KEY not in out
    assert "BAOXUE_PSEUDONYM_KEY" not in out or "***" in out


def test_rerunning_the_same_date_changes_nothing(nightly):
    af, base = nightly
    before = tree_digest(base / "wh")
    rc, out, _ = af.dags_test("baoxue_nightly", "2025-09-01", log_name="baoxue_nightly_2025-09-01_again")
    assert rc == 0, out[-5000:]
    assert "本次处理 0 个，1 个无变化跳过" in out
    assert tree_digest(base / "wh") == before


def test_a_holiday_is_skipped_by_the_calendar(nightly):
    af, _ = nightly
    rc, out, _ = af.dags_test("baoxue_nightly", "2025-10-04")  # 国庆节 in the sample's calendar
    assert rc == 0, out[-5000:]
    assert "2025-10-04 不是上课日（校历：国庆节" in out
    assert set(task_states(out).values()) <= {"skipped"}


def test_a_missing_delivery_on_a_school_day_fails_clearly(nightly):
    af, _ = nightly
    rc, out, _ = af.dags_test("baoxue_nightly", "2025-10-20")  # a Monday after the sample's last delivery
    assert rc != 0
    assert "交付 %s/2025-10-20 在等待 0.05 分钟后仍未到达（2025-10-20 是上课日）" % SAMPLE in out
    assert "请联系未交付的学校" in out
    assert task_states(out).get("wait_for_delivery") == "failed"
    assert "nightly" not in task_states(out)
