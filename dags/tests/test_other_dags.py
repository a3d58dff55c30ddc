"""`airflow dags test` of the semester and quarterly DAGs over a copy of the shared sample's warehouse."""

from __future__ import annotations

import json

import pytest

from conftest import Airflow, copy_tree, task_states


@pytest.fixture(scope="module")
def other(airflow_home, sample_warehouse, tmp_path_factory):
    base = tmp_path_factory.mktemp("other")
    wh = copy_tree(sample_warehouse, base / "wh")
    variables = {"baoxue_warehouse": wh, "baoxue_outputs": base / "out", "baoxue_restricted": base / "restricted"}
    return Airflow(airflow_home, variables), base


def test_semester_cases_after_the_autumn_term(other):
    af, base = other
    rc, out, _ = af.dags_test("baoxue_semester", "2026-02-01")
    assert rc == 0, out[-5000:]
    assert task_states(out) == {"cases": "success"}
    folder = base / "out" / "cases" / "2025-2026-1"
    assert sorted(p.suffix for p in folder.iterdir()) == [".html", ".pdf"]
    assert "张*明" in next(folder.glob("*.html")).read_text("utf-8")


def test_quarterly_commit_then_an_on_demand_draw(other):
    af, base = other
    wh = base / "wh"
    rc, out, _ = af.dags_test("baoxue_inspection_commit", "2025-10-01")
    assert rc == 0, out[-5000:]
    commitment = (wh / "inspection" / "2025Q4" / "commitment.txt").read_text()
    assert (wh / "restricted" / "inspection" / "2025Q4.seed").exists()
    # the quarterly run again (a retry, a re-run): the seed and its commitment stay as published
    rc, out, _ = af.dags_test("baoxue_inspection_commit", "2025-10-01", log_name="baoxue_inspection_commit_again")
    assert rc == 0, out[-5000:]
    assert "已有种子，保持不变" in out
    assert (wh / "inspection" / "2025Q4" / "commitment.txt").read_text() == commitment
    # the inspection day: triggered with its date and sample size
    conf = {"date": "2025-10-15", "schools": "1", "classes_per_school": "1"}
    rc, out, _ = af.dags_test("baoxue_inspection_draw", "2025-10-15", conf=conf)
    assert rc == 0, out[-5000:]
    assert task_states(out) == {"draw": "success"}
    record = json.loads((wh / "inspection" / "2025Q4" / "draw_2025-10-15.json").read_text())
    assert len(record["drawn"]) == 1
    packs = list((base / "restricted" / "inspection" / "2025Q4" / "2025-10-15").rglob("*.pdf"))
    assert len(packs) == 1
