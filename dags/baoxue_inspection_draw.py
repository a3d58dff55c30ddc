# Airflow DAG baoxue_inspection_draw：季查抽签（按需触发）。
# 步骤、顺序和命令都在 pipelines/inspection_draw.yaml；这里只把它交给 baoxue_dags.pipeline_dag。
from baoxue_dags import pipeline_dag

dag = pipeline_dag("inspection_draw")
