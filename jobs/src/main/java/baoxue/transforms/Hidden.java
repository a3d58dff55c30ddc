package baoxue.transforms;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Finding what is hidden (indicators.md "Finding what is hidden", "Other indicators"): suspected
 * dropouts, ghost suspects and chronic absence, each with a reason a person can read.
 * Watchlist rows: student_key, school_code, grade, class, kind, kind_cn, reason, since.
 */
public final class Hidden {
  private Hidden() {}

  /**
   * Suspected dropout (1): base-cohort students, neither dropouts nor in a normal movement, with an
   * open alert that started {@code dueDays} days or more before D.
   */
  public static Dataset<Row> suspectedByOpenAlert(Dataset<Row> outcomes, Dataset<Row> alerts, int dueDays) {
    Dataset<Row> old =
        alerts
            .where(col("resolution").equalTo("open").and(col("streak_start").leq(date_sub(AsOf.col(), dueDays))))
            .select(AsOf.COL, "student_key", "streak_start", "streak_days", "home_visits");
    return undecided(outcomes)
        .join(old, AsOf.keys("student_key"))
        .select(
            AsOf.col(),
            col("student_key"),
            col("school_code"),
            col("grade"),
            col("class"),
            format_string(
                    "自 %s 起连续旷课 %d 个上课日，预警超过 " + dueDays + " 天未结（已家访 %d 次）",
                    col("streak_start").cast("string"), col("streak_days"), col("home_visits"))
                .as("reason"),
            col("streak_start").as("since"));
  }

  /**
   * Suspected dropout (2), vanished: on an earlier roster of their (base) school this school year,
   * missing from its latest roster ≤ D, no change record of any kind in the school year dated ≤ D,
   * and not 在读 on any other school's latest roster.
   */
  public static Dataset<Row> suspectedVanished(
      Dataset<Row> outcomes, Dataset<Row> roster, Dataset<Row> latestRosters, Dataset<Row> changes) {
    Dataset<Row> latestOfSchool =
        latestRosters.groupBy(AsOf.columns("school_code")).agg(max("snapshot_date").as("_latest"));
    Dataset<Row> onLatest = latestRosters.select(AsOf.columns("student_key", "school_code")).distinct();
    Dataset<Row> enrolledAnywhere = latestRosters.where(col("status").equalTo("enrolled")).select(AsOf.columns("student_key")).distinct();
    Dataset<Row> changed =
        changes.where(col("change_date").between(AsOf.yearStart(), AsOf.col())).select(AsOf.columns("student_key")).distinct();
    Dataset<Row> lastSeen =
        roster
            .where(col("snapshot_date").between(AsOf.yearStart(), AsOf.col()))
            .groupBy(AsOf.columns("student_key", "school_code"))
            .agg(max("snapshot_date").as("_last_seen"));
    return undecided(outcomes)
        .join(latestOfSchool, AsOf.keys("school_code"))
        .join(onLatest, AsOf.keys("student_key", "school_code"), "left_anti")
        .join(changed, AsOf.keys("student_key"), "left_anti")
        .join(enrolledAnywhere, AsOf.keys("student_key"), "left_anti")
        .join(lastSeen, AsOf.keys("student_key", "school_code"), "left")
        .select(
            AsOf.col(),
            col("student_key"),
            col("school_code"),
            col("grade"),
            col("class"),
            format_string(
                    "失踪：本校 %s 的名册上还有，%s 的最新名册上没有；本学年无任何异动记录，也不在其他学校名册上在读",
                    col("_last_seen").cast("string"), col("_latest").cast("string"))
                .as("reason"),
            col("_last_seen").as("since"));
  }

  /** Base-cohort students who are neither dropouts nor in a normal movement. */
  private static Dataset<Row> undecided(Dataset<Row> outcomes) {
    return outcomes.where(not(col("is_dropout")).and(col("normal_movement").isNull()));
  }

  /** The last {@code n} school days up to D within D's school year. */
  public static Dataset<Row> recentSchoolDays(Dataset<Row> calendar, int n) {
    return calendar
        .where(col("is_school_day").and(col("date").between(AsOf.yearStart(), AsOf.col())))
        .select(AsOf.COL, "date")
        .withColumn("_n", row_number().over(Window.partitionBy(AsOf.col()).orderBy(col("date").desc())))
        .where(col("_n").leq(n))
        .drop("_n");
  }

  /**
   * Ghost suspect by attendance silence: 在读 on their school's latest roster ≤ D, the school
   * reported attendance on at least {@code minReported} of the last {@code window} school days of
   * the school year, and the student has no record on any of those days.
   */
  public static Dataset<Row> ghostsBySilence(
      Dataset<Row> latestRosters, Dataset<Row> attendance, Dataset<Row> calendar, int window, int minReported) {
    Dataset<Row> days = recentSchoolDays(calendar, window);
    Dataset<Row> inWindow = attendance.join(days, AsOf.keys("date"));
    Dataset<Row> windowDays = days.groupBy(AsOf.col()).agg(count(lit(1)).as("_window_days"));
    Dataset<Row> schoolDays =
        inWindow.groupBy(AsOf.columns("school_code")).agg(countDistinct("date").as("_reported_days"))
            .where(col("_reported_days").geq(minReported))
            .join(windowDays, AsOf.COL);
    Dataset<Row> seen = inWindow.select(AsOf.columns("student_key")).distinct();
    return latestRosters
        .where(col("status").equalTo("enrolled"))
        .join(schoolDays, AsOf.keys("school_code"))
        .join(seen, AsOf.keys("student_key"), "left_anti")
        .select(
            AsOf.col(),
            col("student_key"),
            col("school_code"),
            col("grade"),
            col("class"),
            format_string("最近 %d 个上课日学校报了 %d 天考勤，此生在籍在读却一天记录都没有", col("_window_days"), col("_reported_days")).as("reason"),
            col("snapshot_date").as("since"));
  }

  /** Ghost suspect by inspection: listed in 未见学籍号 by the latest inspection ≤ D of the class. */
  public static Dataset<Row> ghostsByInspection(Dataset<Row> inspections) {
    return inspections
        .where(col("date").leq(AsOf.col()))
        .withColumn(
            "_n",
            row_number()
                .over(Window.partitionBy(AsOf.columns("school_code", "grade", "class")).orderBy(col("date").desc(), col("inspection_id").desc())))
        .where(col("_n").equalTo(1))
        .select(col("*"), explode(col("unseen_student_keys")).as("student_key"))
        .select(
            AsOf.col(),
            col("student_key"),
            col("school_code"),
            col("grade"),
            col("class"),
            format_string("%s 季查（检查编号 %s）点名未见此生", col("date").cast("string"), col("inspection_id")).as("reason"),
            col("date").as("since"));
  }

  /**
   * Chronic absence: an active student whose absences (excused + unexcused) are at least
   * {@code rate} of their recorded school days in D's term, with at least {@code minDays} days.
   *
   * @param term the term counts of D (Sequences.termCounts)
   */
  public static Dataset<Row> chronicAbsence(Dataset<Row> placement, Dataset<Row> term, double rate, int minDays) {
    Column absent = col("term_excused").plus(col("term_unexcused"));
    return placement
        .where(col("active"))
        .join(term, AsOf.keys("student_key"))
        .where(col("term_days").geq(minDays).and(absent.geq(col("term_days").multiply(rate))))
        .select(
            AsOf.col(),
            col("student_key"),
            col("school_code"),
            col("grade"),
            col("class"),
            format_string(
                    "本学期有记录 %d 天，缺勤 %d 天（病事假 %d、旷课 %d），占 %.1f%%",
                    col("term_days"), absent, col("term_excused"), col("term_unexcused"), absent.multiply(100.0).divide(col("term_days")))
                .as("reason"),
            col("term_first_absence").as("since"));
  }

  /** One watchlist row per student and kind; several reasons of one kind are joined with "；". */
  public static Dataset<Row> watchlistRows(Dataset<Row> rows, String kind, String kindCn) {
    return rows.groupBy(AsOf.columns("student_key"))
        .agg(
            min_by(col("school_code"), col("since")).as("school_code"),
            min_by(col("grade"), col("since")).as("grade"),
            min_by(col("class"), col("since")).as("class"),
            concat_ws("；", array_sort(collect_set(col("reason")))).as("reason"),
            min("since").as("since"))
        .select(
            AsOf.col(),
            col("student_key"),
            col("school_code"),
            col("grade"),
            col("class"),
            lit(kind).as("kind"),
            lit(kindCn).as("kind_cn"),
            col("reason"),
            col("since"));
  }
}
