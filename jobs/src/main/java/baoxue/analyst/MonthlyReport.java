package baoxue.analyst;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * The 月报 forms ({@code ./baoxue monthly-report}): per school, township or county, for a month, as
 * of the month's last snapshot: enrolment at the start and end of the month, transfers in and out,
 * new dropouts, returns, new alerts, home visits, overdue alerts, and whether the data arrived by
 * the deadline (schools the 23rd, townships the 25th). Read from the analysts' DuckDB only: no
 * names. Every figure is a count a township office can check against the views.
 */
public final class MonthlyReport {
  public static final List<String> LEVELS = List.of("school", "township", "county");

  static final String[] COUNTS = {"月初在籍", "月末在籍", "转入", "转出", "新增辍学", "劝返复学", "新增预警", "家访次数", "逾期未结"};

  private MonthlyReport() {}

  /** The form: its as-of date, header and rows (labels first, then the counts, then deadline columns). */
  public record Form(YearMonth month, String level, LocalDate asOf, List<String> header, List<List<Object>> rows) {}

  public static Form compute(Path warehouse, YearMonth month, String level) throws Exception {
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException("--level 只能是 school、township 或 county");
    }
    LocalDate m1 = month.atDay(1);
    LocalDate m2 = month.atEndOfMonth();
    List<List<Object>> a = SqlRunner.query(warehouse, "SELECT CAST(max(as_of) AS VARCHAR) FROM indicators WHERE as_of <= DATE '" + m2 + "'").rows();
    if (a.isEmpty() || a.get(0).get(0) == null) {
      throw new IllegalStateException("仓库里没有 " + month + " 月底或以前的快照：请先处理这个月的交付。");
    }
    LocalDate asOf = LocalDate.parse((String) a.get(0).get(0));
    if (asOf.isBefore(m1)) {
      throw new IllegalStateException("仓库里没有 " + month + " 的快照（最后一个快照是 " + asOf + "）：请先处理这个月的交付。");
    }
    String sql = schoolSql(m1, m2, asOf);
    String select;
    switch (level) {
      case "school":
        select =
            "SELECT township AS 乡镇, school_code AS 学校标识码, school_name AS 学校, " + sums(false)
                + ", CAST(school_deadline AS VARCHAR) AS 报送期限, CASE WHEN school_on_time IS NULL THEN '期限未到' WHEN school_on_time THEN '按时' ELSE '逾期' END AS 是否按时"
                + " FROM per_school ORDER BY township, school_code";
        break;
      case "township":
        select =
            "SELECT township AS 乡镇, count(*) AS 学校数, " + sums(true)
                + ", CAST(max(township_deadline) AS VARCHAR) AS 报送期限,"
                + " count(*) FILTER (WHERE school_on_time) AS 按时学校数,"
                + " CASE WHEN bool_and(township_on_time IS NULL) THEN '期限未到' WHEN bool_and(township_on_time) THEN '按时' ELSE '逾期' END AS 是否按时"
                + " FROM per_school GROUP BY township ORDER BY township";
        break;
      default:
        select =
            "SELECT '全县' AS 范围, count(*) AS 学校数, " + sums(true)
                + ", count(*) FILTER (WHERE school_on_time) AS 按时学校数, count(*) FILTER (WHERE NOT school_on_time) AS 逾期学校数"
                + " FROM per_school";
    }
    SqlRunner.Result r = SqlRunner.query(warehouse, sql + select);
    return new Form(month, level, asOf, r.columns(), r.rows());
  }

  private static String sums(boolean aggregate) {
    String[] cols = {"start_n", "end_n", "transfers_in", "transfers_out", "new_dropouts", "returned", "new_alerts", "home_visits", "overdue"};
    List<String> out = new ArrayList<>();
    for (int i = 0; i < cols.length; i++) {
      out.add((aggregate ? "sum(" + cols[i] + ")::BIGINT" : cols[i]) + " AS " + COUNTS[i]);
    }
    return String.join(", ", out);
  }

  /** One row per school with every count, as of the month's last snapshot. */
  static String schoolSql(LocalDate m1, LocalDate m2, LocalDate asOf) {
    String M1 = "DATE '" + m1 + "'";
    String M2 = "DATE '" + m2 + "'";
    String A = "DATE '" + asOf + "'";
    String month = "'" + m1.toString().substring(0, 7) + "'";
    return "WITH snaps AS (SELECT DISTINCT school_code, snapshot_date FROM fact_roster WHERE snapshot_date <= " + A + "),\n"
        + " start_snap AS (SELECT school_code, coalesce(max(snapshot_date) FILTER (WHERE snapshot_date <= " + M1 + "),"
        + "   min(snapshot_date) FILTER (WHERE snapshot_date <= " + M2 + ")) AS d FROM snaps GROUP BY 1),\n"
        + " end_snap AS (SELECT school_code, max(snapshot_date) AS d FROM snaps WHERE snapshot_date <= " + M2 + " GROUP BY 1),\n"
        + " start_n AS (SELECT r.school_code, count(*) FILTER (WHERE r.status = 'enrolled') AS n FROM fact_roster r"
        + "   JOIN start_snap x ON r.school_code = x.school_code AND r.snapshot_date = x.d GROUP BY 1),\n"
        + " end_n AS (SELECT r.school_code, count(*) FILTER (WHERE r.status = 'enrolled') AS n FROM fact_roster r"
        + "   JOIN end_snap x ON r.school_code = x.school_code AND r.snapshot_date = x.d GROUP BY 1),\n"
        + " ch AS (SELECT * FROM fact_changes WHERE approval = 'approved' AND change_date BETWEEN " + M1 + " AND least(" + M2 + ", " + A + ")),\n"
        + " tin AS (SELECT to_school_code AS school_code, count(*) AS n FROM ch WHERE change_type = 'transfer_in' GROUP BY 1),\n"
        + " tout AS (SELECT from_school_code AS school_code, count(*) AS n FROM ch WHERE change_type = 'transfer_out' GROUP BY 1),\n"
        + " co AS (SELECT * FROM cohort WHERE as_of = " + A + "),\n"
        + " prev AS (SELECT student_key, school_year FROM cohort WHERE is_dropout AND as_of = (SELECT max(as_of) FROM cohort WHERE as_of < " + M1 + ")),\n"
        + " drop_n AS (SELECT school_code, count(*) AS n FROM co WHERE is_dropout"
        + "   AND NOT EXISTS (SELECT 1 FROM prev WHERE prev.student_key = co.student_key AND prev.school_year = co.school_year) GROUP BY 1),\n"
        + " ret_n AS (SELECT school_code, count(*) AS n FROM co WHERE is_returned AND returned_on BETWEEN " + M1 + " AND " + M2 + " GROUP BY 1),\n"
        + " al AS (SELECT * FROM alerts WHERE as_of = " + A + "),\n"
        + " alert_n AS (SELECT school_code, count(*) AS n FROM al WHERE opened_on BETWEEN " + M1 + " AND " + M2 + " GROUP BY 1),\n"
        + " overdue_n AS (SELECT school_code, count(*) AS n FROM al WHERE overdue GROUP BY 1),\n"
        + " placed AS (SELECT student_key, arg_max(school_code, snapshot_date) AS school_code FROM fact_roster WHERE snapshot_date <= " + M2 + " GROUP BY 1),\n"
        + " visit_n AS (SELECT p.school_code, count(*) AS n FROM fact_interventions i JOIN placed p USING (student_key)"
        + "   WHERE i.type IN ('home_visit', 'leader_visit') AND i.date BETWEEN " + M1 + " AND least(" + M2 + ", " + A + ") GROUP BY 1),\n"
        + " tl AS (SELECT * FROM timeliness WHERE as_of = " + A + " AND month = " + month + "),\n"
        + " per_school AS (\n"
        + "  SELECT s.township, s.school_code, s.school_name,\n"
        + "   coalesce(start_n.n, 0) AS start_n, coalesce(end_n.n, 0) AS end_n, coalesce(tin.n, 0) AS transfers_in, coalesce(tout.n, 0) AS transfers_out,\n"
        + "   coalesce(drop_n.n, 0) AS new_dropouts, coalesce(ret_n.n, 0) AS returned, coalesce(alert_n.n, 0) AS new_alerts,\n"
        + "   coalesce(visit_n.n, 0) AS home_visits, coalesce(overdue_n.n, 0) AS overdue,\n"
        + "   coalesce(tl.school_deadline, make_date(" + m1.getYear() + ", " + m1.getMonthValue() + ", 23)) AS school_deadline,\n"
        + "   coalesce(tl.township_deadline, make_date(" + m1.getYear() + ", " + m1.getMonthValue() + ", 25)) AS township_deadline,\n"
        + "   tl.school_on_time, tl.township_on_time\n"
        + "  FROM dim_school s\n"
        + "  LEFT JOIN start_n USING (school_code) LEFT JOIN end_n USING (school_code) LEFT JOIN tin USING (school_code)\n"
        + "  LEFT JOIN tout USING (school_code) LEFT JOIN drop_n USING (school_code) LEFT JOIN ret_n USING (school_code)\n"
        + "  LEFT JOIN alert_n USING (school_code) LEFT JOIN overdue_n USING (school_code) LEFT JOIN visit_n USING (school_code)\n"
        + "  LEFT JOIN tl USING (school_code))\n";
  }

  /** Writes the form as XLSX: a title, what it is as of and the deadline, the header, the rows. */
  public static Path write(Form f, Path outDir) throws IOException {
    String levelCn = f.level().equals("school") ? "学校" : f.level().equals("township") ? "乡镇" : "全县";
    String title = "控辍保学月报（" + levelCn + "）" + f.month().getYear() + " 年 " + f.month().getMonthValue() + " 月";
    String note =
        "数据截至 " + f.asOf() + "（本月最后一次处理的交付）。学校每月 23 日前、乡镇 25 日前报送；"
            + "新增辍学：本月底计为辍学、上月底尚未计入的基数学生（含本月才满 30 天的待审批转出）；劝返复学：本月返校的；"
            + "家访次数含校领导家访。本表不含学生个人信息。";
    Files.createDirectories(outDir);
    Path file = outDir.resolve("控辍保学月报_" + levelCn + "_" + f.month() + ".xlsx");
    Xlsx.write(file, "月报", title, note, f.header(), f.rows(), null);
    return file;
  }
}
