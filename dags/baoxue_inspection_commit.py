# Airflow DAG baoxue_inspection_commit：季度初生成季查种子并公布承诺。
# 步骤、顺序和命令都在 pipelines/inspection_commit.yaml；这里只把它交给 baoxue_dags.pipeline_dag。
from baoxue_dags import pipeline_dag

dag = pipeline_dag("inspection_commit")
