"""Real Airflow for the tests: a throw-away AIRFLOW_HOME with a migrated SQLite database, the
DAGs of dags/, the Spark connection and the baoxue Variables given as environment variables
(AIRFLOW_CONN_*, AIRFLOW_VAR_*), and the venv's spark-submit on PATH."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "dags"
VENV_BIN = Path(sys.executable).parent
SAMPLE = Path(os.environ.get("BAOXUE_SAMPLE", REPO / "samples" / "landing")).resolve()
JOB_JAR = REPO / "cli" / "target" / "baoxue-spark-job.jar"
TEST_KEY = "testkey"  # the key the Java tests build the shared sample warehouse with
LOGS = REPO / "target" / "airflow-tests"
# The JVM options of the tests' spark-submit drivers (and the cluster's executors): the launcher's
# collector and the client compiler only — C2 never pays back on runs of a few seconds.
C1_ONLY = "-XX:+UseParallelGC -XX:TieredStopAtLevel=1"


def _base_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
            "PATH": f"{VENV_BIN}:{env.get('PATH', '')}",
            "PYTHONPATH": str(DAGS),
            "SPARK_LOCAL_IP": "127.0.0.1",
            "BAOXUE_JOB_JAR": str(JOB_JAR),
            "BAOXUE_DRIVER_MEMORY": "2g",
            # short sample runs: the client compiler only, as the cli tests' child JVMs (docs/performance.md)
            "BAOXUE_DRIVER_JAVA_OPTIONS": C1_ONLY,
            "AIRFLOW_CONN_SPARK_DEFAULT": json.dumps({"conn_type": "spark", "host": "local[2]"}),
            "AIRFLOW_VAR_BAOXUE_PSEUDONYM_SECRET": TEST_KEY,
        }
    )
    env.pop("BAOXUE_PSEUDONYM_KEY", None)  # the DAGs must get the key from the Variable
    return env


@pytest.fixture(scope="session")
def airflow_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("airflow-home")
    r = subprocess.run(
        [str(VENV_BIN / "airflow"), "db", "migrate"], env=_base_env(home), capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return home


@pytest.fixture(scope="session")
def sample_warehouse() -> Path:
    """The shared sample's warehouse the Java tests built (jobs' SampleWarehouse, embedded local[2])."""
    pointer = REPO / "target" / "sample-warehouse" / "current"
    assert pointer.exists(), "run the Java tests first (mvn install): they build the shared sample's warehouse"
    wh = Path(pointer.read_text().strip()) / "wh"
    assert (wh / "baoxue.duckdb").exists(), wh
    return wh


class Airflow:
    """Runs the airflow CLI against the test AIRFLOW_HOME with the given baoxue Variables."""

    def __init__(self, home: Path, variables: dict[str, str], extra_env: dict[str, str] | None = None):
        self.env = _base_env(home)
        for k, v in variables.items():
            self.env["AIRFLOW_VAR_" + k.upper()] = str(v)
        self.env.update(extra_env or {})

    def run(self, *args: str, log_name: str, timeout: int = 1800) -> tuple[int, str, float]:
        t0 = time.monotonic()
        r = subprocess.run(
            [str(VENV_BIN / "airflow"), *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,  # one stream, in order: task states are read from it
            text=True,
            timeout=timeout,
        )
        secs = time.monotonic() - t0
        out = r.stdout
        LOGS.mkdir(parents=True, exist_ok=True)
        (LOGS / f"{log_name}.log").write_text(out, encoding="utf-8")
        print(f"airflow {' '.join(args)}: exit {r.returncode}, {secs:.1f} s (log: {LOGS / (log_name + '.log')})")
        return r.returncode, out, secs

    def dags_test(self, dag_id: str, day: str, log_name: str | None = None, conf: dict | None = None):
        args = ["dags", "test", dag_id, day]
        if conf:
            args += ["--conf", json.dumps(conf)]
        return self.run(*args, log_name=log_name or f"{dag_id}_{day}")


def task_states(out: str) -> dict[str, str]:
    """task_id → final state, from the `airflow dags test` log."""
    states: dict[str, str] = {}
    current = None
    for line in out.splitlines():
        if "[DAG TEST] running task <TaskInstance:" in line:
            current = line.split("<TaskInstance: ", 1)[1].split(" ", 1)[0].split(".", 1)[1]
        if current and "Task instance state updated" in line and "new_state=" in line:
            states[current] = line.split("new_state=", 1)[1].split()[0]
    return states


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, symlinks=True)
    return dst
