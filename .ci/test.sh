#!/usr/bin/env bash
# ./baoxue test：安装所需的一切并运行全部测试（Maven 依赖从 Maven Central，Python 包从 PyPI 装进 .venv）。
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
if [[ ! -d ../shared/sample/landing ]]; then
  echo "提示：找不到 ../shared/sample/landing，样例交付的测试需要它（仓库旁的 shared/ 目录）。" >&2
fi
# The Python venv: the analysts' duckdb client, Airflow 3 with the Spark provider, and pyspark
# (its spark-submit and spark-class) for the DAG and cluster tests in dags/tests.
if [[ ! -x .venv/bin/python ]] || ! cmp -s requirements-test.txt .venv/requirements-test.txt; then
  echo "准备 Python 虚拟环境 .venv（requirements-test.txt）…"
  python3 -m venv .venv
  .venv/bin/pip install --disable-pip-version-check -q -r requirements-test.txt
  cp requirements-test.txt .venv/requirements-test.txt
fi
# -ntp hides download progress only; Surefire's test summary is printed in full.
mvn -B -ntp -Dbaoxue.python="$HERE/.venv/bin/python" "$@" install
# Then the Airflow DAGs in real Airflow (airflow dags test) and the nightly job on a real Spark
# standalone cluster; they use the jobs jar and the sample warehouse the Maven build just made.
echo "运行 dags/tests（真实 Airflow 与 Spark 独立集群）…"
.venv/bin/python -m pytest -v -ra --durations=0 -p no:cacheprovider dags/tests
