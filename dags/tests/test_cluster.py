"""The nightly job on a real Spark standalone cluster: a master and two workers on loopback,
started from the pyspark distribution (spark-class), the jobs jar submitted with spark-submit to
spark://127.0.0.1:<port>. Every analysts' view must give exactly the rows the embedded run
(./baoxue run, local[2], built by the Java tests) gives. The cluster is stopped in every outcome."""

from __future__ import annotations

import math
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from conftest import C1_ONLY, JOB_JAR, LOGS, SAMPLE, TEST_KEY, VENV_BIN


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, work: Path):
        self.work = work
        self.port = free_port()
        self.url = f"spark://127.0.0.1:{self.port}"
        self.procs: list[subprocess.Popen] = []
        self.env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1", SPARK_LOG_DIR=str(work / "logs"), PATH=f"{VENV_BIN}:{os.environ['PATH']}")
        self.env.pop("SPARK_HOME", None)

    def _start(self, name: str, *args: str) -> None:
        log = open(self.work / f"{name}.log", "w")
        self.procs.append(
            subprocess.Popen(
                [str(VENV_BIN / "spark-class"), *args], env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        )

    def start(self) -> None:
        self._start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(self.port),
                    "--webui-port", str(free_port()))
        self._wait("master", "I have been elected leader", 120)
        for i in (1, 2):
            (self.work / f"worker{i}").mkdir()
            self._start(f"worker{i}", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                        "--memory", "3g", "--work-dir", str(self.work / f"worker{i}"), "--webui-port", str(free_port()), self.url)
        self._wait("master", "Registering worker", 120, count=2)

    def _wait(self, name: str, text: str, timeout: float, count: int = 1) -> None:
        deadline = time.monotonic() + timeout
        log = self.work / f"{name}.log"
        while time.monotonic() < deadline:
            if log.exists() and log.read_text(errors="replace").count(text) >= count:
                return
            if any(p.poll() is not None for p in self.procs):
                break
            time.sleep(0.5)
        raise AssertionError(f"{name}: no '{text}' x{count} within {timeout}s:\n" + log.read_text(errors="replace")[-3000:])

    def stop(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = Cluster(tmp_path_factory.mktemp("spark-cluster"))
    try:
        c.start()
        yield c
    finally:
        c.stop()
        assert all(p.poll() is not None for p in c.procs)


def view_rows(db: Path) -> dict[str, list[tuple]]:
    """Every view of the analysts' database, all rows, order-independent; doubles to 12 significant digits."""
    def norm(v):
        if isinstance(v, float):
            return float(f"{v:.12g}") if math.isfinite(v) else v
        if isinstance(v, list):
            return tuple(norm(x) for x in v)
        return v

    out = {}
    with duckdb.connect(str(db), read_only=True) as con:
        views = [r[0] for r in con.execute("select view_name from duckdb_views() where not internal and schema_name = 'main'").fetchall()]
        for v in sorted(views):
            rows = [tuple(norm(x) for x in r) for r in con.execute(f'select * from "{v}"').fetchall()]
            out[v] = sorted(rows, key=repr)
    return out


def test_nightly_on_a_standalone_cluster_gives_the_embedded_rows(cluster, sample_warehouse, tmp_path):
    wh = tmp_path / "wh"
    env = dict(cluster.env, BAOXUE_PSEUDONYM_KEY=TEST_KEY)
    t0 = time.monotonic()
    r = subprocess.run(
        [str(VENV_BIN / "spark-submit"), "--master", cluster.url, "--deploy-mode", "client", "--class", "baoxue.cli.Main",
         "--name", "baoxue-nightly-cluster-test", "--driver-memory", "3g", "--executor-memory", "2g", "--total-executor-cores", "2",
         "--conf", "spark.log.level=WARN", "--conf", f"spark.driver.extraJavaOptions=-Dfile.encoding=UTF-8 {C1_ONLY}",
         "--conf", f"spark.executor.extraJavaOptions=-Dfile.encoding=UTF-8 {C1_ONLY}",
         str(JOB_JAR), "run", "--landing", str(SAMPLE), "--warehouse", str(wh)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=3600,
    )
    secs = time.monotonic() - t0
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / "cluster_nightly.log").write_text(r.stdout, encoding="utf-8")
    print(f"spark-submit to {cluster.url}: exit {r.returncode}, {secs:.1f} s (log: {LOGS / 'cluster_nightly.log'})")
    assert r.returncode == 0, r.stdout[-5000:]
    assert "完成：共 31 个交付，本次处理 31 个" in r.stdout
    # the work ran on the cluster's executors: each worker started an executor for the application
    for i in (1, 2):
        apps = list((cluster.work / f"worker{i}").glob("app-*/*/stderr"))
        assert apps, f"worker{i} ran no executor"
    mine, embedded = view_rows(wh / "baoxue.duckdb"), view_rows(sample_warehouse / "baoxue.duckdb")
    assert sorted(mine) == sorted(embedded)
    different = [v for v in embedded if mine[v] != embedded[v]]
    assert different == [], {v: (len(mine[v]), len(embedded[v])) for v in different}
    assert sum(len(rows) for rows in embedded.values()) > 1000
