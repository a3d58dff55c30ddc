"""The DAGs load in real Airflow without errors, and their structure is the one pipelines/ defines."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import yaml

from conftest import DAGS, REPO, _base_env

PIPELINES = sorted(p.stem for p in (REPO / "pipelines").glob("*.yaml") if "pipeline" in yaml.safe_load(p.read_text("utf-8")))


@pytest.fixture(scope="module")
def dagbag(airflow_home):
    os.environ.update(_base_env(airflow_home))
    sys.path.insert(0, str(DAGS))
    from airflow.models.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS), include_examples=False)


def definition(name: str) -> dict:
    return yaml.safe_load((REPO / "pipelines" / f"{name}.yaml").read_text("utf-8"))


def steps(p: dict) -> list[dict]:
    return list(p.get("steps") or []) + list(p.get("after_run") or []) + list(p.get("publish") or [])


def test_no_import_errors_and_one_dag_per_pipeline(dagbag):
    assert dagbag.import_errors == {}
    assert sorted(dagbag.dag_ids) == sorted(f"baoxue_{n}" for n in PIPELINES)
    assert set(PIPELINES) == {"nightly", "monthly_schools", "monthly_county", "semester", "inspection_commit", "inspection_draw"}


def test_owner_tags_retries(dagbag):
    for dag_id in dagbag.dag_ids:
        dag = dagbag.get_dag(dag_id)
        assert "baoxue" in dag.tags, dag_id
        assert dag.max_active_runs == 1, dag_id
        assert not dag.catchup, dag_id
        for t in dag.tasks:
            assert t.owner == "baoxue", (dag_id, t.task_id)
            if t.task_type == "SparkSubmitOperator":
                assert t.retries >= 2 and t.retry_exponential_backoff, (dag_id, t.task_id)
    nightly = dagbag.get_dag("baoxue_nightly")
    # one run at a time, in date order; a failed night does not block the next (it catches up)
    assert not any(t.depends_on_past for t in nightly.tasks)


@pytest.mark.parametrize("name", PIPELINES)
def test_tasks_follow_the_pipeline_definition(dagbag, name):
    p = definition(name)
    dag = dagbag.get_dag(f"baoxue_{name}")
    one = p.get("driver") == "one"
    # driver: one (the nightly): the whole pipeline is one spark-submit, so a night starts Spark once
    tasks = [{"id": name, "command": [c for s in steps(p) for c in s["command"]]}] if one else steps(p)
    expected = (["wait_for_delivery"] if p.get("wait_for") else []) + [s["id"] for s in tasks]
    # a straight chain in the definition's order
    order = [t.task_id for t in dag.topological_sort()]
    assert order == expected
    for a, b in zip(expected, expected[1:]):
        assert dag.get_task(a).downstream_task_ids == {b}
    for s in tasks:
        t = dag.get_task(s["id"])
        assert t.task_type == "SparkSubmitOperator"
        assert t._conn_id == "spark_default"
        assert t._java_class == "baoxue.cli.Main"
        assert t.application.endswith("baoxue-spark-job.jar")
        args = t.application_args
        if one:
            assert args[:2] == ["pipeline", name] and "--step" not in args
            args = args[:2] + ["--step", s["id"]] + args[2:]  # same layout below
        assert args[:4] == ["pipeline", name, "--step", s["id"]]
        assert args[4] == "--date" and "logical_date" in args[5]
        # every option the step's command needs is passed, from a Variable resolved at run time
        for ph in set(re.findall(r"<([a-z_]+)>", " ".join(s["command"]))) & {"landing", "warehouse", "outputs", "restricted"}:
            i = args.index("--" + ph)
            assert args[i + 1] == "{{ var.value.baoxue_%s }}" % ph
        env = t.env_vars or {}
        if s["command"][0] == "run" or one:
            assert env == {"BAOXUE_PSEUDONYM_KEY": "{{ var.value.baoxue_pseudonym_secret }}"}
        else:
            assert env == {}
    if p.get("schedule"):
        assert dag.timetable.summary == p["schedule"]
    else:
        assert dag.timetable.summary in ("None", None) or dag.schedule is None
    if p.get("wait_for"):
        sensor = dag.get_task("wait_for_delivery")
        assert sensor.mode == "reschedule" and sensor.timeout > 0 and sensor.retries == 0


def test_no_secret_or_path_in_dag_code():
    code = "\n".join(f.read_text("utf-8") for f in DAGS.rglob("*.py") if "tests" not in f.parts)
    assert "testkey" not in code
    assert not re.search(r"BAOXUE_PSEUDONYM_KEY\s*[:=]\s*['\"][^{]", code)
    assert "/work/" not in code and "/home/" not in code


def test_the_cli_lists_the_same_steps():
    """./baoxue pipeline NAME --list (the Java side) expands the same steps in the same order."""
    cp = (REPO / "cli" / "target" / "classpath.txt").read_text().strip()
    jar = REPO / "cli" / "target" / "baoxue-cli.jar"
    for name in PIPELINES:
        r = subprocess.run(
            ["java", "-cp", f"{jar}:{cp}", "baoxue.cli.Main", "pipeline", name, "--list", "--date", "2025-09-25",
             "--landing", "/L", "--warehouse", "/W", "--outputs", "/O", "--restricted", "/R"],
            capture_output=True, text=True, timeout=120,
        )
        assert r.returncode == 0, r.stdout + r.stderr
        # consecutive steps of ./baoxue run are listed (and run) as one run: "stage、core、marts、analyst_db"
        listed = [i for g in re.findall(r"^==> %s / ([a-z_、]+)" % name, r.stdout, re.M) for i in g.split("、")]
        assert listed == [s["id"] for s in steps(definition(name))], r.stdout
        assert "<" not in "".join(l for l in r.stdout.splitlines() if l.startswith("    ./baoxue")), r.stdout
