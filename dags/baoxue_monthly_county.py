# Airflow DAG baoxue_monthly_county：每月25日乡镇与全县月报表、简报。
# 步骤、顺序和命令都在 pipelines/monthly_county.yaml；这里只把它交给 baoxue_dags.pipeline_dag。
from baoxue_dags import pipeline_dag

dag = pipeline_dag("monthly_county")
