package baoxue.transforms;

import static org.apache.spark.sql.functions.*;

import baoxue.marts.Rules;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Risk score (indicators.md "Risk score"): a transparent sum of points per factor, weights and
 * thresholds from pipelines/rules.yaml; every student shows the factors that scored.
 */
public final class RiskScore {
  private RiskScore() {}

  /**
   * @param placement students as of D (only active ones are scored)
   * @param runs unexcused runs of any length (for the current streak)
   * @param last each student's last record (Sequences.lastRecords)
   * @param term the term counts of D (Sequences.termCounts)
   * @param attendance attendance as of D, at least on the recent days
   * @param recentDays the last 20 school days (Hidden.recentSchoolDays)
   * @param outcomes cohort outcomes (earlier dropout event or return)
   * @param changes registry changes (pending 转出)
   */
  public static Dataset<Row> score(
      Dataset<Row> placement,
      Dataset<Row> runs,
      Dataset<Row> last,
      Dataset<Row> term,
      Dataset<Row> attendance,
      Dataset<Row> recentDays,
      Dataset<Row> outcomes,
      Dataset<Row> changes,
      Rules.Risk w) {
    String[] k = AsOf.keys("student_key");
    Dataset<Row> current =
        runs.join(last.select(AsOf.COL, "student_key", "last_date"), k)
            .where(col("streak_last").equalTo(col("last_date")))
            .select(AsOf.col(), col("student_key"), col("streak_days").as("current_streak"));
    Dataset<Row> recent =
        attendance.join(recentDays, AsOf.keys("date"))
            .where(col("status").equalTo("unexcused"))
            .groupBy(AsOf.columns("student_key"))
            .agg(count(lit(1)).cast("int").as("recent_unexcused"));
    Dataset<Row> rate =
        term.select(
            AsOf.col(),
            col("student_key"),
            col("term_excused").plus(col("term_unexcused")).cast("double").divide(col("term_days").cast("double")).as("term_absence_rate"));
    Dataset<Row> earlier =
        outcomes.where(col("dropout_event_on").isNotNull()).select(AsOf.col(), col("student_key"), lit(true).as("_earlier"));
    Dataset<Row> pending =
        changes
            .where(col("change_type").equalTo("transfer_out").and(col("approval").equalTo("pending")).and(col("change_date").leq(AsOf.col())))
            .select(AsOf.col(), col("student_key"), lit(true).as("_pending"))
            .distinct();
    Dataset<Row> s =
        placement
            .where(col("active"))
            .join(current, k, "left")
            .join(recent, k, "left")
            .join(rate, k, "left")
            .join(earlier, k, "left")
            .join(pending, k, "left")
            .withColumn("current_streak", coalesce(col("current_streak"), lit(0)))
            .withColumn("recent_unexcused", coalesce(col("recent_unexcused"), lit(0)));
    Column flags =
        col("poverty").cast("int").plus(col("disabled").cast("int")).plus(col("disabled_parent").cast("int"))
            .plus(col("left_behind").cast("int")).plus(col("migrant").cast("int"));
    Column pStreak =
        when(col("current_streak").geq(2), lit(w.currentStreak2plus)).when(col("current_streak").equalTo(1), lit(w.currentStreak1)).otherwise(0);
    Column pRecent = least(col("recent_unexcused").multiply(w.recentUnexcusedPerDay), lit(w.recentUnexcusedMax));
    Column pTerm =
        when(col("term_absence_rate").geq(0.10), lit(w.termAbsence10pct)).when(col("term_absence_rate").geq(0.05), lit(w.termAbsence5pct)).otherwise(0);
    Column pEarlier = when(col("_earlier"), lit(w.earlierDropout)).otherwise(0);
    Column pGroups = least(flags.multiply(w.groupFlag), lit(w.groupMax));
    Column pGrade = when(col("grade").geq(8), lit(w.grade89)).otherwise(0);
    Column pPending = when(col("_pending"), lit(w.pendingTransfer)).otherwise(0);
    Column score = pStreak.plus(pRecent).plus(pTerm).plus(pEarlier).plus(pGroups).plus(pGrade).plus(pPending);
    Column factors =
        concat_ws(
            "；",
            when(pStreak.gt(0), format_string("当前连续旷课 %d 天 +%d", col("current_streak"), pStreak)),
            when(pRecent.gt(0), format_string("最近 20 个上课日旷课 %d 天 +%d", col("recent_unexcused"), pRecent)),
            when(pTerm.gt(0), format_string("本学期缺勤率 %.1f%% +%d", col("term_absence_rate").multiply(100), pTerm)),
            when(pEarlier.gt(0), format_string("本学年曾有辍学事件 +%d", pEarlier)),
            when(pGroups.gt(0), format_string("重点群体 %d 项 +%d", flags, pGroups)),
            when(pGrade.gt(0), format_string("初二、初三 +%d", pGrade)),
            when(pPending.gt(0), format_string("转出待审批 +%d", pPending)));
    return s.withColumn("score", score.cast("int"))
        .withColumn("factors", factors)
        .select(
            AsOf.col(),
            col("student_key"),
            col("school_code"),
            col("grade"),
            col("class"),
            col("score"),
            when(col("score").geq(w.high), lit("高")).when(col("score").geq(w.medium), lit("中")).otherwise(lit("低")).as("level"),
            when(col("factors").equalTo(""), lit("无")).otherwise(col("factors")).as("factors"),
            col("current_streak"),
            col("recent_unexcused"),
            col("term_absence_rate"));
  }
}
