"""Builds one thin Airflow DAG per pipeline definition in ../pipelines/*.yaml.

The definitions say which steps run, in which order, and what each step's command is; a DAG
only turns every step into a SparkSubmitOperator that submits the jobs jar with
``pipeline <name> --step <id> --date <D>`` -- or, for a pipeline with ``driver: one`` (the
nightly), the whole pipeline into one SparkSubmitOperator ``pipeline <name> --date <D>``, so a
night starts one JVM and one Spark session; a retry resumes after the last finished step. The
Java side reads the same definition to know what the step does, so the schedule and the command
line cannot drift apart.

Everything that differs between installations is resolved when a task runs, never written here:
paths come from Airflow Variables (baoxue_landing, baoxue_warehouse, baoxue_outputs,
baoxue_restricted), the pseudonym key from the
Variable ``baoxue_pseudonym_secret`` (its name contains "secret", so Airflow masks the value in
logs and rendered fields), the Spark master from the connection ``spark_default``.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml
from airflow.exceptions import AirflowSensorTimeout, AirflowSkipException
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import DAG, Asset, BaseSensorOperator, Param, chain
from airflow.timetables.trigger import CronTriggerTimetable

# The repository: dags/ sits next to pipelines/ and cli/target/ (override with BAOXUE_HOME).
HOME = Path(os.environ.get("BAOXUE_HOME", Path(__file__).resolve().parent.parent.parent))
PIPELINES = HOME / "pipelines"
# The jobs jar (built by `mvn package` into cli/target/) and the driver's memory: installation
# settings, not secrets, read from the environment of the Airflow scheduler and workers.
JOB_JAR = os.environ.get("BAOXUE_JOB_JAR", str(HOME / "cli" / "target" / "baoxue-spark-job.jar"))
DRIVER_MEMORY = os.environ.get("BAOXUE_DRIVER_MEMORY", "4g")
# The driver JVM's options beyond the file encoding: by default the launcher's collector
# (./baoxue), since a batch job wants throughput. The DAG tests add the client compiler only
# (-XX:TieredStopAtLevel=1), which suits their short sample runs (docs/performance.md).
DRIVER_JAVA_OPTIONS = os.environ.get("BAOXUE_DRIVER_JAVA_OPTIONS", "-XX:+UseParallelGC")
# The county's time zone: the date D of a run is the logical date's calendar day there.
TIMEZONE = os.environ.get("BAOXUE_TIMEZONE", "Asia/Shanghai")
# How long the nightly waits for a school day's delivery before it fails (minutes).
DELIVERY_TIMEOUT_MINUTES = float(os.environ.get("BAOXUE_DELIVERY_TIMEOUT_MINUTES", "480"))
DELIVERY_POKE_MINUTES = float(os.environ.get("BAOXUE_DELIVERY_POKE_MINUTES", "10"))

# D: the date the trigger gave (params.date, on-demand DAGs), else the logical date (or, for a
# manual run without one, the time it was queued) as a calendar day in the county's time zone.
DAY = (
    "{{ (params.get('date') or (logical_date or dag_run.run_after).in_timezone('%s').to_date_string()) }}"
    % TIMEZONE
)

# Which Airflow Variable fills which option of `./baoxue pipeline`.
OPTION_VARIABLES = {
    "landing": "baoxue_landing",
    "warehouse": "baoxue_warehouse",
    "outputs": "baoxue_outputs",
    "restricted": "baoxue_restricted",
}
# The publications and the inspection draw read the analysts' DuckDB, which lives on a local file
# system. With the warehouse on HDFS or S3 they read a local copy instead: set this to the name of
# the Variable holding that copy's path (docs/deploy.md).
ANALYST_WAREHOUSE_VARIABLE = os.environ.get("BAOXUE_ANALYST_WAREHOUSE_VARIABLE", "baoxue_warehouse")

# Assets: what the nightly publishes and the monthly, semester and inspection runs read. They
# draw the lineage in Airflow's UI and let other DAGs (a province sync, say) schedule on them.
MARTS = Asset(name="baoxue_marts", uri="file:///baoxue/marts")
ANALYST_DB = Asset(name="baoxue_analyst_db", uri="file:///baoxue/baoxue.duckdb")

DEFAULT_ARGS = {
    "owner": "baoxue",
    "retries": 2,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(hours=1),
}

TAGS = {
    "nightly": ["baoxue", "nightly"],
    "monthly_schools": ["baoxue", "monthly"],
    "monthly_county": ["baoxue", "monthly"],
    "semester": ["baoxue", "semester"],
    "inspection_commit": ["baoxue", "quarterly", "inspection"],
    "inspection_draw": ["baoxue", "quarterly", "inspection"],
}


def load(name: str) -> dict:
    """The pipeline definition pipelines/<name>.yaml."""
    with open(PIPELINES / f"{name}.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def scheduled_steps(p: dict) -> list[dict]:
    """The steps a scheduled run executes, in order (as Pipeline.scheduledSteps() in Java)."""
    return list(p.get("steps") or []) + list(p.get("after_run") or []) + list(p.get("publish") or [])


def placeholders(p: dict) -> set[str]:
    """Every <name> the pipeline's commands (and wait_for) use."""
    text = " ".join(" ".join(s.get("command") or []) for s in scheduled_steps(p)) + " " + (p.get("wait_for") or "")
    return set(re.findall(r"<([A-Za-z_]+)>", text))


def _var(name: str) -> str:
    return "{{ var.value.%s }}" % name


def one_driver(p: dict) -> bool:
    """Whether a scheduled run submits the whole pipeline as one driver (``driver: one``)."""
    return p.get("driver") == "one"


def tasks_of(p: dict) -> list[dict]:
    """The Spark tasks of the pipeline's DAG: one per step, or one for the whole pipeline (``driver: one``)."""
    steps = scheduled_steps(p)
    if not one_driver(p):
        return steps
    return [
        {
            "id": p["pipeline"],
            "title": "；".join(s.get("title", s["id"]) for s in steps),
            "command": [c for s in steps for c in s.get("command") or []],
        }
    ]


def application_args(p: dict, step_id: str | None) -> list[str]:
    """The arguments of the jobs jar's main class for one step, or the whole pipeline when step_id is None
    (templated, resolved at run time)."""
    args = ["pipeline", p["pipeline"]] + (["--step", step_id] if step_id else []) + ["--date", DAY]
    used = placeholders(p)
    for option, variable in OPTION_VARIABLES.items():
        if option in used:
            if option == "warehouse" and p["pipeline"] != "nightly":
                variable = ANALYST_WAREHOUSE_VARIABLE
            args += [f"--{option}", _var(variable)]
    for param in (p.get("params") or {}):
        args += ["--param", "%s={{ params.%s }}" % (param, param)]
    return args


class DeliverySensor(BaseSensorOperator):
    """Waits for the day's delivery folder <landing>/<D>.

    A day that is not a school day (the warehouse's calendar, which already holds the schools'
    calendar deliveries; Monday to Friday where the calendar says nothing) is skipped at once.
    On a school day the sensor waits; after its timeout it fails with a message naming the folder.
    """

    template_fields = ("landing", "warehouse", "day")

    def __init__(self, *, landing: str, warehouse: str, day: str, **kwargs):
        super().__init__(**kwargs)
        self.landing = landing
        self.warehouse = warehouse
        self.day = day

    def poke(self, context) -> bool:
        folder = Path(self.landing) / self.day
        if folder.is_dir() and any(folder.iterdir()):
            self.log.info("交付已到：%s（%d 个文件）", folder, sum(1 for _ in folder.iterdir()))
            return True
        school_day, why = is_school_day(Path(self.warehouse), date.fromisoformat(self.day))
        if not school_day:
            raise AirflowSkipException(f"{self.day} 不是上课日（{why}），没有交付要处理，跳过。")
        self.log.info("等待交付 %s（%s 是上课日：%s）", folder, self.day, why)
        return False

    def execute(self, context):
        try:
            return super().execute(context)
        except AirflowSensorTimeout as e:
            raise AirflowSensorTimeout(
                f"交付 {Path(self.landing) / self.day} 在等待 {self.timeout / 60:g} 分钟后仍未到达（{self.day} 是上课日）。"
                "请联系未交付的学校；交付放好后，在 Airflow 中清除（Clear）这次运行的 wait_for_delivery 任务即可重跑。"
            ) from e


def is_school_day(warehouse: Path, d: date) -> tuple[bool, str]:
    """Whether d is a school day, with the reason: the warehouse's core.calendar, else Monday to Friday."""
    cal = warehouse / "core" / "calendar"
    if cal.is_dir() and any(cal.glob("*.parquet")):
        try:
            import duckdb

            with duckdb.connect() as con:
                row = con.execute(
                    "select is_school_day, coalesce(description, '') from read_parquet(?) where date = ?",
                    [str(cal / "*.parquet"), d],
                ).fetchone()
            if row is not None:
                return bool(row[0]), ("校历：" + row[1]) if row[1] else ("校历：上课日" if row[0] else "校历：不上课")
        except ImportError:
            pass
    weekday = d.weekday() < 5
    return weekday, "校历没有这一天，按周一至周五" if weekday else "周末，校历没有调休"


def pipeline_dag(name: str) -> DAG:
    """The DAG of pipelines/<name>.yaml: an optional delivery sensor, then one SparkSubmitOperator per step."""
    p = load(name)
    cron = p.get("schedule")
    params = {k: Param(str(v), type="string", description=f"流水线参数 {k}") for k, v in (p.get("params") or {}).items()}
    if cron is None:
        params["date"] = Param("", type="string", description="日期 D（YYYY-MM-DD）；留空用触发时间所在的日子")
    on_demand = cron is None
    with DAG(
        dag_id=f"baoxue_{name}",
        description=p.get("title"),
        doc_md=f"**{p.get('title')}**：由 `pipelines/{name}.yaml` 生成，"
        + (f"整条流水线一个任务，提交一次 `baoxue.cli.Main pipeline {name} --date <D>`（一个 Spark 驱动跑完全部步骤）。"
           if one_driver(p) else f"每个任务提交 `baoxue.cli.Main pipeline {name} --step <步骤> --date <D>`。"),
        schedule=None if on_demand else CronTriggerTimetable(cron, timezone=TIMEZONE),
        start_date=datetime(2025, 9, 1),
        catchup=False,
        max_active_runs=1,
        # no depends_on_past: each nightly run processes every delivery up to D that is not yet built,
        # so a night that failed (a late delivery) is caught up by the next one instead of blocking it
        default_args=DEFAULT_ARGS,
        params=params,
        tags=TAGS.get(name, ["baoxue"]),
        render_template_as_native_obj=False,
    ) as dag:
        tasks = []
        if p.get("wait_for"):
            tasks.append(
                DeliverySensor(
                    task_id="wait_for_delivery",
                    landing=_var("baoxue_landing"),
                    warehouse=_var("baoxue_warehouse"),
                    day=DAY,
                    mode="reschedule",
                    poke_interval=DELIVERY_POKE_MINUTES * 60,
                    timeout=DELIVERY_TIMEOUT_MINUTES * 60,
                    retries=0,
                    doc_md="等待当日交付文件夹；不是上课日则跳过，超时则失败并说明。",
                )
            )
        for s in tasks_of(p):
            tasks.append(
                SparkSubmitOperator(
                    task_id=s["id"],
                    doc_md=s.get("title"),
                    conn_id="spark_default",
                    application=JOB_JAR,
                    java_class="baoxue.cli.Main",
                    application_args=application_args(p, None if one_driver(p) else s["id"]),
                    name=f"baoxue-{name}-{s['id']}",
                    conf={
                        "spark.driver.memory": DRIVER_MEMORY,
                        "spark.log.level": "WARN",
                        "spark.driver.extraJavaOptions": f"-Dfile.encoding=UTF-8 {DRIVER_JAVA_OPTIONS}".strip(),
                    },
                    # only the steps that write student keys get the pseudonym key
                    env_vars={"BAOXUE_PSEUDONYM_KEY": _var("baoxue_pseudonym_secret")} if s["command"][0] == "run" or one_driver(p) else None,
                    inlets=[] if name == "nightly" else [ANALYST_DB],
                    outlets=_outlets(name, s["id"]),
                )
            )
        chain(*tasks)
    return dag


def _outlets(pipeline: str, step: str) -> list:
    if pipeline != "nightly":
        return []
    return {"marts": [MARTS], "analyst_db": [ANALYST_DB], "nightly": [MARTS, ANALYST_DB]}.get(step, [])
