# Airflow DAG baoxue_nightly：每晚处理当日交付（等待交付、暂存、核心层、集市、分析库、行动清单）。
# 步骤、顺序和命令都在 pipelines/nightly.yaml；这里只把它交给 baoxue_dags.pipeline_dag。
from baoxue_dags import pipeline_dag

dag = pipeline_dag("nightly")
