package baoxue.transforms;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/** The two-day rule (indicators.md "Two-day rule: alerts"): one pure function per rule. */
public final class Alerts {
  private Alerts() {}

  /**
   * Record sequence: each student's attendance records on school days up to D, with the record
   * that follows each one. Records on non-school days are left out.
   */
  public static Dataset<Row> recordSequence(Dataset<Row> attendance, Dataset<Row> calendar) {
    Dataset<Row> schoolDays = calendar.where(col("is_school_day")).select(AsOf.COL, "date");
    WindowSpec w = Window.partitionBy(AsOf.columns("student_key")).orderBy("date");
    return attendance
        .where(col("date").leq(AsOf.col()))
        .join(schoolDays, AsOf.keys("date"))
        .select(
            AsOf.col(),
            col("student_key"),
            col("school_code"),
            col("date"),
            col("status"),
            lead(col("date"), 1).over(w).as("next_date"),
            lead(col("status"), 1).over(w).as("next_status"));
  }

  /**
   * Unexcused runs: the maximal runs of 旷课 in each sequence (of any length), with their first,
   * second and last dates, the reporting school and the record after the run.
   */
  public static Dataset<Row> unexcusedRuns(Dataset<Row> sequence) {
    WindowSpec w = Window.partitionBy(AsOf.columns("student_key")).orderBy("date");
    return sequence
        .withColumn("_rn", row_number().over(w))
        .where(col("status").equalTo("unexcused"))
        .withColumn("_grp", col("_rn").minus(row_number().over(w)))
        .groupBy(AsOf.columns("student_key", "_grp"))
        .agg(
            min("date").as("streak_start"),
            max("date").as("streak_last"),
            count(lit(1)).cast("int").as("streak_days"),
            min_by(col("school_code"), col("date")).as("school_code"),
            try_element_at(array_sort(collect_list(col("date"))), lit(2)).as("opened_on"),
            max_by(col("next_date"), col("date")).as("next_date"),
            max_by(col("next_status"), col("date")).as("next_status"))
        .drop("_grp");
  }

  /** Alerts: every unexcused run of two school days or more; due 15 (configurable) days after its start. */
  public static Dataset<Row> openAlerts(Dataset<Row> runs, int dueDays) {
    return runs.where(col("streak_days").geq(2)).withColumn("due_on", date_add(col("streak_start"), dueDays));
  }

  /**
   * Resolution: the earliest of a dropout event, a normal movement or the first record after the
   * streak, dated from streak_start to D (same day: dropout, then moved, then the record);
   * otherwise open, and overdue once D is past due_on.
   */
  public static Dataset<Row> resolve(Dataset<Row> alerts, Dataset<Row> events, Dataset<Row> movements) {
    Dataset<Row> keys = alerts.select(AsOf.COL, "student_key", "streak_start");
    Dataset<Row> dropoutOn =
        firstBetween(keys, events.select(AsOf.col(), col("student_key"), col("event_on").as("_d"))).withColumnRenamed("_first", "_dropout_on");
    Dataset<Row> movedOn =
        firstBetween(keys, movements.select(AsOf.col(), col("student_key"), col("movement_on").as("_d"))).withColumnRenamed("_first", "_moved_on");
    Column closed = least(col("_dropout_on"), col("_moved_on"), col("next_date"));
    Column resolution =
        when(col("_dropout_on").equalTo(col("closed_on")), lit("dropout"))
            .when(col("_moved_on").equalTo(col("closed_on")), lit("moved"))
            .when(col("next_date").equalTo(col("closed_on")).and(col("next_status").equalTo("present")), lit("returned"))
            .when(col("next_date").equalTo(col("closed_on")), lit("excused"))
            .otherwise(lit("open"));
    return alerts
        .join(dropoutOn, AsOf.keys("student_key", "streak_start"), "left")
        .join(movedOn, AsOf.keys("student_key", "streak_start"), "left")
        .withColumn("closed_on", closed)
        .withColumn("resolution", resolution)
        .withColumn("resolution_cn", resolutionCn(col("resolution")))
        .withColumn("overdue", col("resolution").equalTo("open").and(AsOf.col().gt(col("due_on"))))
        .drop("_dropout_on", "_moved_on");
  }

  private static Dataset<Row> firstBetween(Dataset<Row> keys, Dataset<Row> dated) {
    return keys.join(dated, AsOf.keys("student_key"))
        .where(col("_d").between(col("streak_start"), AsOf.col()))
        .groupBy(AsOf.columns("student_key", "streak_start"))
        .agg(min("_d").as("_first"));
  }

  public static Column resolutionCn(Column r) {
    return when(r.equalTo("open"), lit("未结"))
        .when(r.equalTo("returned"), lit("已返校"))
        .when(r.equalTo("excused"), lit("请假"))
        .when(r.equalTo("moved"), lit("正常异动"))
        .when(r.equalTo("dropout"), lit("辍学"));
  }

  /**
   * Case work in the window from streak_start to closed_on (or D): number of 家访, any 校领导家访,
   * any 流失报告 (and the first one's date). A dropout alert is compliant with at least
   * {@code minVisits} 家访, a leader's visit and a 流失报告 no later than due_on; other
   * resolutions have no compliance verdict (null).
   */
  public static Dataset<Row> caseWork(Dataset<Row> alerts, Dataset<Row> interventions, int minVisits) {
    Dataset<Row> a = alerts.select(AsOf.COL, "student_key", "streak_start", "closed_on");
    Dataset<Row> work =
        a.join(interventions.select(AsOf.col(), col("student_key"), col("date").as("_on"), col("type")), AsOf.keys("student_key"))
            .where(col("_on").between(col("streak_start"), coalesce(col("closed_on"), AsOf.col())))
            .groupBy(AsOf.columns("student_key", "streak_start"))
            .agg(
                sum(when(col("type").equalTo("home_visit"), 1).otherwise(0)).cast("int").as("home_visits"),
                max(col("type").equalTo("leader_visit")).as("leader_visit"),
                max(col("type").equalTo("dropout_report")).as("report_filed"),
                min(when(col("type").equalTo("dropout_report"), col("_on"))).as("report_on"));
    return alerts
        .join(work, AsOf.keys("student_key", "streak_start"), "left")
        .withColumn("home_visits", coalesce(col("home_visits"), lit(0)))
        .withColumn("leader_visit", coalesce(col("leader_visit"), lit(false)))
        .withColumn("report_filed", coalesce(col("report_filed"), lit(false)))
        .withColumn(
            "compliant",
            when(
                col("resolution").equalTo("dropout"),
                col("home_visits").geq(minVisits)
                    .and(col("leader_visit"))
                    .and(coalesce(col("report_on").leq(col("due_on")), lit(false)))));
  }

  /**
   * The alerts an as-of snapshot lists: those that started in D's school year, and any still open
   * from before it.
   */
  public static Dataset<Row> inSnapshot(Dataset<Row> alerts) {
    return alerts.where(col("streak_start").geq(AsOf.yearStart()).or(col("resolution").equalTo("open")));
  }
}
