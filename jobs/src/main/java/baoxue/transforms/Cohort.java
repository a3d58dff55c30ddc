package baoxue.transforms;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Base cohort and attrition (indicators.md "Base cohort and attrition"): one pure function per
 * rule. Inputs are core-layer entities as they stood on each as-of date D, tagged with as_of
 * ({@link AsOf}).
 */
public final class Cohort {
  private Cohort() {}

  /** 1 September of the school year containing {@code d}. */
  public static LocalDate yearStart(LocalDate d) {
    return LocalDate.of(d.getMonthValue() >= 9 ? d.getYear() : d.getYear() - 1, 9, 1);
  }

  /** 1 September (上学期) or 1 February (下学期) of the term containing {@code d}. */
  public static LocalDate termStart(LocalDate d) {
    if (d.getMonthValue() >= 9) {
      return LocalDate.of(d.getYear(), 9, 1);
    }
    if (d.getMonthValue() == 1) {
      return LocalDate.of(d.getYear() - 1, 9, 1);
    }
    return LocalDate.of(d.getYear(), 2, 1);
  }

  /** Base snapshot: per school, its earliest roster delivered on or after 1 September, up to D. */
  public static Dataset<Row> baseSnapshots(Dataset<Row> roster) {
    return roster
        .where(col("snapshot_date").between(AsOf.yearStart(), AsOf.col()))
        .groupBy(AsOf.columns("school_code"))
        .agg(min("snapshot_date").as("base_snapshot_date"));
  }

  /**
   * Base cohort: 在读 in the school's base snapshot, except 户口在外 and approved 借读 dated in the
   * school year. Grade, class and groups are frozen from the base snapshot. A student in two
   * schools' base snapshots counts once, in the earlier snapshot (then the lower school code).
   */
  public static Dataset<Row> baseCohort(Dataset<Row> roster, Dataset<Row> changes) {
    Dataset<Row> bases = baseSnapshots(roster).withColumnRenamed("school_code", "_base_school");
    Dataset<Row> studyingElsewhere =
        changes
            .where(
                col("change_type").equalTo("study_elsewhere")
                    .and(col("approval").equalTo("approved"))
                    .and(col("change_date").between(AsOf.yearStart(), AsOf.col())))
            .select(AsOf.columns("student_key"))
            .distinct();
    Dataset<Row> rows =
        roster
            .join(bases, AsOf.COL)
            .where(col("school_code").equalTo(col("_base_school")).and(col("snapshot_date").equalTo(col("base_snapshot_date"))))
            .drop("_base_school")
            .where(col("status").equalTo("enrolled").and(not(col("hukou_outside"))))
            .join(studyingElsewhere, AsOf.keys("student_key"), "left_anti");
    return rows.withColumn(
            "_n",
            row_number()
                .over(Window.partitionBy(AsOf.columns("student_key")).orderBy(col("base_snapshot_date"), col("school_code"))))
        .where(col("_n").equalTo(1))
        .select(
            AsOf.col(),
            AsOf.schoolYear().as("school_year"),
            col("student_key"),
            col("school_code"),
            col("base_snapshot_date"),
            col("grade"),
            col("class"),
            col("poverty"),
            col("disabled"),
            col("disabled_parent"),
            col("left_behind"),
            col("migrant"));
  }

  /**
   * Dropout events dated ≤ D: a 辍学 change not 已驳回; a 转出 change 已驳回, or 待审批 for
   * {@code pendingDays} days or more as of D (transfer without completed procedure).
   */
  public static Dataset<Row> dropoutEvents(Dataset<Row> changes, int pendingDays) {
    Column dropout = col("change_type").equalTo("dropout").and(col("approval").notEqual("rejected"));
    Column rejected = col("change_type").equalTo("transfer_out").and(col("approval").equalTo("rejected"));
    Column stale =
        col("change_type").equalTo("transfer_out")
            .and(col("approval").equalTo("pending"))
            .and(date_add(col("change_date"), pendingDays).leq(AsOf.col()));
    return changes
        .where(col("change_date").leq(AsOf.col()).and(dropout.or(rejected).or(stale)))
        .select(
            AsOf.col(),
            col("student_key"),
            col("change_date").as("event_on"),
            when(dropout, lit("dropout_change"))
                .when(rejected, lit("transfer_rejected"))
                .otherwise(lit("transfer_pending"))
                .as("event"));
  }

  /** Return candidates dated ≤ D: present attendance records and approved 复学 changes. */
  public static Dataset<Row> returnCandidates(Dataset<Row> sequence, Dataset<Row> changes) {
    Dataset<Row> present =
        sequence.where(col("status").equalTo("present").and(col("date").leq(AsOf.col())))
            .select(AsOf.col(), col("student_key"), col("date").as("return_on"));
    Dataset<Row> resumed =
        changes
            .where(
                col("change_type").equalTo("resumption")
                    .and(col("approval").equalTo("approved"))
                    .and(col("change_date").leq(AsOf.col())))
            .select(AsOf.col(), col("student_key"), col("change_date").as("return_on"));
    return present.unionByName(resumed);
  }

  /** Normal movements (正常异动) dated ≤ D: approved 转出, 借读, 休学, 死亡. */
  public static Dataset<Row> normalMovements(Dataset<Row> changes) {
    return changes
        .where(
            col("approval").equalTo("approved")
                .and(col("change_type").isin("transfer_out", "study_elsewhere", "suspension", "death"))
                .and(col("change_date").leq(AsOf.col())))
        .select(AsOf.col(), col("student_key"), col("change_type").as("movement"), col("change_date").as("movement_on"));
  }

  /**
   * Outcome of each base-cohort student as of D: the latest dropout event of the school year, the
   * first return after it; a dropout when not returned, 劝返复学 when returned; and the latest
   * normal movement of the school year.
   */
  public static Dataset<Row> outcomes(Dataset<Row> cohort, Dataset<Row> events, Dataset<Row> returns, Dataset<Row> movements) {
    String[] k = AsOf.keys("student_key");
    Dataset<Row> latestEvent =
        events
            .where(col("event_on").geq(AsOf.yearStart()))
            .groupBy(AsOf.columns("student_key"))
            .agg(max_by(col("event"), col("event_on")).as("dropout_event"), max(col("event_on")).as("dropout_event_on"));
    Dataset<Row> withEvent = cohort.join(latestEvent, k, "left");
    Dataset<Row> firstReturn =
        withEvent
            .select(AsOf.COL, "student_key", "dropout_event_on")
            .where(col("dropout_event_on").isNotNull())
            .join(returns, k)
            .where(col("return_on").gt(col("dropout_event_on")))
            .groupBy(AsOf.columns("student_key"))
            .agg(min("return_on").as("returned_on"));
    Dataset<Row> movement =
        movements
            .where(col("movement_on").geq(AsOf.yearStart()))
            .groupBy(AsOf.columns("student_key"))
            .agg(max_by(col("movement"), col("movement_on")).as("normal_movement"), max("movement_on").as("normal_movement_on"));
    return withEvent
        .join(firstReturn, k, "left")
        .join(movement, k, "left")
        .withColumn("is_dropout", col("dropout_event_on").isNotNull().and(col("returned_on").isNull()))
        .withColumn("is_returned", col("dropout_event_on").isNotNull().and(col("returned_on").isNotNull()));
  }
}
