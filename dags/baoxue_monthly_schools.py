# Airflow DAG baoxue_monthly_schools：每月23日各校月报表。
# 步骤、顺序和命令都在 pipelines/monthly_schools.yaml；这里只把它交给 baoxue_dags.pipeline_dag。
from baoxue_dags import pipeline_dag

dag = pipeline_dag("monthly_schools")
