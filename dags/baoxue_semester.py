# Airflow DAG baoxue_semester：学期结束后编《控辍典型案例集》。
# 步骤、顺序和命令都在 pipelines/semester.yaml；这里只把它交给 baoxue_dags.pipeline_dag。
from baoxue_dags import pipeline_dag

dag = pipeline_dag("semester")
