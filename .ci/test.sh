#!/usr/bin/env bash
# ./baoxue test：安装所需的一切并运行全部测试（Maven 依赖从 Maven Central，Python 包从 PyPI 装进 .venv）。
# 只读仓库里的东西（样例交付在 samples/）；每一段结束时打印它的耗时。
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
T0=$SECONDS
phase_start=$SECONDS
phase_done() {
  local s=$((SECONDS - phase_start))
  printf '== 阶段「%s」用时 %d 分 %02d 秒（累计 %d 分 %02d 秒）\n' "$1" $((s / 60)) $((s % 60)) $(((SECONDS - T0) / 60)) $(((SECONDS - T0) % 60))
  phase_start=$SECONDS
}
# The Python venv: the analysts' duckdb client, Airflow 3 with the Spark provider, and pyspark
# (its spark-submit and spark-class) for the DAG and cluster tests in dags/tests.
if [[ ! -x .venv/bin/python ]] || ! cmp -s requirements-test.txt .venv/requirements-test.txt; then
  echo "准备 Python 虚拟环境 .venv（requirements-test.txt）…"
  python3 -m venv .venv
  .venv/bin/pip install --disable-pip-version-check -q -r requirements-test.txt
  cp requirements-test.txt .venv/requirements-test.txt
fi
phase_done "Python 虚拟环境"
# -ntp hides download progress only; Surefire's test summary is printed in full.
mvn -B -ntp -Dbaoxue.python="$HERE/.venv/bin/python" "$@" install
phase_done "Maven 构建与 Java 测试"
# Then the Airflow DAGs in real Airflow (airflow dags test) and the nightly job on a real Spark
# standalone cluster; they use the jobs jar and the sample warehouse the Maven build just made.
echo "运行 dags/tests（真实 Airflow 与 Spark 独立集群）…"
.venv/bin/python -m pytest -v -ra --durations=0 -p no:cacheprovider dags/tests
phase_done "Airflow 与独立集群测试（pytest）"
