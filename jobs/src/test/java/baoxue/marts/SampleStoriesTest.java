package baoxue.marts;

import static org.junit.jupiter.api.Assertions.*;

import baoxue.analyst.SqlRunner;
import baoxue.jobs.marts.AsOfInputs;
import baoxue.jobs.marts.Marts;
import baoxue.testing.SparkTestSession;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import baoxue.testing.SampleWarehouse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every statement of samples/README.md「正确的处理应当报出什么」, read back
 * through the analysts' DuckDB views of the sample warehouse (as of 2025-10-17 and 2025-09-17).
 */
class SampleStoriesTest {
  static final String S1 = SampleWarehouse.key("G341322201105141016");
  static final String S2 = SampleWarehouse.key("G34132220100302103X");
  static final String S3 = SampleWarehouse.key("G341322201208111047");
  static final String S4 = SampleWarehouse.key("G341322201101191075");
  static final String S5 = SampleWarehouse.key("G341322201709231098");
  static final String S6 = SampleWarehouse.key("G34132220140407110X");
  static final String S7 = SampleWarehouse.key("G341322201006301133");
  static final String S9 = SampleWarehouse.key("G341322201011111174");
  static final String S10 = SampleWarehouse.key("G341322201601021187");
  static final String S12 = SampleWarehouse.key("G341322201312091226");
  static Path wh;

  @BeforeAll
  static void build() throws Exception {
    wh = SampleWarehouse.root();
  }

  static List<List<Object>> rows(String sql) throws Exception {
    return SqlRunner.query(wh, sql).rows();
  }

  static Object one(String sql) throws Exception {
    List<List<Object>> r = rows(sql);
    assertEquals(1, r.size(), sql);
    return r.get(0).get(0);
  }

  /** student_key → name of the story, for readable failures. */
  static String who(Object key) {
    Map<String, String> m = new TreeMap<>();
    m.put(S1, "S1");
    m.put(S2, "S2");
    m.put(S3, "S3");
    m.put(S4, "S4");
    m.put(S5, "S5");
    m.put(S6, "S6");
    m.put(S7, "S7");
    m.put(S9, "S9");
    m.put(S10, "S10");
    m.put(S12, "S12");
    return m.getOrDefault(String.valueOf(key), String.valueOf(key));
  }

  static List<String> students(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    for (List<Object> r : rows(sql)) {
      out.add(who(r.get(0)));
    }
    out.sort(null);
    return out;
  }

  @Test
  void baseCohortIs11WithS5ExcludedForHukouOutside() throws Exception {
    assertEquals(11L, ((Number) one("SELECT sum(base_enrollment) FROM indicators WHERE as_of = DATE '2025-10-17' AND group_name = 'all'")).longValue());
    assertEquals(0L, ((Number) one("SELECT count(*) FROM cohort WHERE as_of = DATE '2025-10-17' AND student_key = '" + S5 + "'")).longValue());
  }

  @Test
  void dropoutsAreS2AndS3() throws Exception {
    assertEquals(List.of("S2", "S3"), students("SELECT student_key FROM cohort WHERE as_of = DATE '2025-10-17' AND is_dropout"));
    assertEquals(2L, ((Number) one("SELECT sum(dropouts) FROM indicators WHERE as_of = DATE '2025-10-17' AND group_name = 'all'")).longValue());
    assertEquals("dropout_change", one("SELECT dropout_event FROM cohort WHERE as_of = DATE '2025-10-17' AND student_key = '" + S2 + "'"));
    assertEquals("transfer_pending", one("SELECT dropout_event FROM cohort WHERE as_of = DATE '2025-10-17' AND student_key = '" + S3 + "'"));
  }

  @Test
  void xinzhuangMiddleSchoolGrades7And9AreOverTarget() throws Exception {
    List<List<Object>> g =
        rows(
            "SELECT grade, base_enrollment, dropouts, suspected_dropouts, attrition_rate, target_rate, over_target FROM indicators"
                + " WHERE as_of = DATE '2025-10-17' AND school_code = '3412220001' AND group_name = 'all' AND grade IN (7, 9) ORDER BY grade");
    assertEquals(List.of(7, 2L, 1L, 0L, 0.5, 0.015, true), g.get(0));
    assertEquals(9, g.get(1).get(0));
    assertEquals(3L, g.get(1).get(1));
    assertEquals(1L, g.get(1).get(2));
    assertEquals(1L, g.get(1).get(3));
    assertEquals(1.0 / 3, (Double) g.get(1).get(4), 1e-12);
    assertEquals(true, g.get(1).get(6));
  }

  @Test
  void suspectedDropoutsAreS7ByOpenAlertAndS6Vanished() throws Exception {
    List<List<Object>> r =
        rows("SELECT student_key, reason FROM watchlist WHERE as_of = DATE '2025-10-17' AND kind = 'suspected_dropout' ORDER BY student_key");
    assertEquals(List.of("S6", "S7"), students("SELECT student_key FROM watchlist WHERE as_of = DATE '2025-10-17' AND kind = 'suspected_dropout'"));
    for (List<Object> x : r) {
      String reason = (String) x.get(1);
      if (S7.equals(x.get(0))) {
        assertTrue(reason.contains("2025-09-25") && reason.contains("未结"), reason);
      } else {
        assertTrue(reason.startsWith("失踪") && reason.contains("2025-09-12") || reason.contains("名册"), reason);
      }
    }
    assertEquals(2L, ((Number) one("SELECT sum(suspected_dropouts) FROM indicators WHERE as_of = DATE '2025-10-17' AND group_name = 'all'")).longValue());
    // S10 moved to 杜集小学 without a record but is 在读 there: not suspected
    assertEquals(0L, ((Number) one("SELECT count(*) FROM watchlist WHERE as_of = DATE '2025-10-17' AND student_key = '" + S10 + "'")).longValue());
  }

  @Test
  void alertsAsOf1017() throws Exception {
    List<List<Object>> r =
        rows(
            "SELECT student_key, CAST(streak_start AS VARCHAR), CAST(opened_on AS VARCHAR), CAST(due_on AS VARCHAR), resolution,"
                + " CAST(closed_on AS VARCHAR), overdue, home_visits, compliant FROM alerts WHERE as_of = DATE '2025-10-17' ORDER BY streak_start");
    assertEquals(3, r.size(), r.toString());
    assertEquals(List.of(S1, "2025-09-03", "2025-09-04", "2025-09-18", "returned", "2025-09-08", false, 3), r.get(0).subList(0, 8));
    assertEquals(List.of(S2, "2025-09-10", "2025-09-11", "2025-09-25", "dropout", "2025-09-23", false), r.get(1).subList(0, 7));
    assertEquals(true, r.get(1).get(8), "S2's dropout alert has the full procedure");
    assertEquals(Arrays.asList(S7, "2025-09-25", "2025-09-26", "2025-10-10", "open", null, true, 2), r.get(2).subList(0, 8));
    assertEquals(0L, ((Number) one("SELECT count(*) FROM alerts WHERE as_of = DATE '2025-10-17' AND student_key = '" + S12 + "'")).longValue(),
        "the 09-18 correction removed S12's alert");
  }

  @Test
  void s12HadAnOpenAlertAsOf0917BeforeTheCorrection() throws Exception {
    List<List<Object>> r =
        rows(
            "SELECT CAST(streak_start AS VARCHAR), CAST(opened_on AS VARCHAR), resolution FROM alerts WHERE as_of = DATE '2025-09-17'"
                + " AND student_key = '" + S12 + "'");
    assertEquals(List.of(List.of("2025-09-16", "2025-09-17", "open")), r);
    assertEquals(0L, ((Number) one("SELECT count(*) FROM alerts WHERE as_of = DATE '2025-09-18' AND student_key = '" + S12 + "'")).longValue());
  }

  @Test
  void ghostSuspectsAreS3AndS9WithS9AlsoByInspection() throws Exception {
    assertEquals(List.of("S3", "S9"), students("SELECT student_key FROM watchlist WHERE as_of = DATE '2025-10-17' AND kind = 'ghost'"));
    String s9 = (String) one("SELECT reason FROM watchlist WHERE as_of = DATE '2025-10-17' AND kind = 'ghost' AND student_key = '" + S9 + "'");
    assertTrue(s9.contains("季查") && s9.contains("2025-10-16") && s9.contains("一天记录都没有"), s9);
  }

  @Test
  void chronicAbsenceIsS4AndS7NotS1() throws Exception {
    assertEquals(List.of("S4", "S7"), students("SELECT student_key FROM watchlist WHERE as_of = DATE '2025-10-17' AND kind = 'chronic_absence'"));
    String s4 = (String) one("SELECT reason FROM watchlist WHERE as_of = DATE '2025-10-17' AND kind = 'chronic_absence' AND student_key = '" + S4 + "'");
    assertTrue(s4.contains("有记录 31 天") && s4.contains("缺勤 5 天"), s4);
  }

  // 2025-10-04 (no delivery, the National Day holiday): SnapshotsTest reads it back through the views

  /**
   * One row per school × base grade × group a base-cohort student belongs to: S3 随迁 in grade 7
   * and S2 建档立卡 in grade 9 are their groups' dropouts (a rate of 1 — one child each), S4 残疾
   * is chronically absent, S6 残疾人子女 is suspected, S1 留守 and S12 低保 are neither.
   */
  @Test
  void theGroupRowsTellEachGroupChildsStory() throws Exception {
    List<List<Object>> r =
        rows(
            "SELECT school_code, grade, group_name, base_enrollment, dropouts, suspected_dropouts, attrition_rate, over_target, chronic_absent"
                + " FROM indicators WHERE as_of = DATE '2025-10-17' AND group_name <> 'all' ORDER BY school_code, grade, group_name");
    assertEquals(
        List.of(
            List.of("3412220001", 7, "migrant", 1L, 1L, 0L, 1.0, true, 0L),
            List.of("3412220001", 8, "disabled", 1L, 0L, 0L, 0.0, false, 1L),
            List.of("3412220001", 8, "left_behind", 1L, 0L, 0L, 0.0, false, 0L),
            List.of("3412220001", 9, "poverty", 1L, 1L, 0L, 1.0, true, 0L),
            List.of("3412220002", 5, "disabled_parent", 1L, 0L, 1L, 0.0, false, 0L),
            List.of("3412220002", 6, "poverty", 1L, 0L, 0L, 0.0, false, 0L)),
        r);
    assertEquals(
        List.of(List.of("poverty", 2L, 1L), List.of("migrant", 1L, 1L)),
        rows(
            "SELECT group_name, CAST(sum(base_enrollment) AS BIGINT), CAST(sum(dropouts) AS BIGINT) FROM indicators WHERE as_of = DATE '2025-10-17'"
                + " AND group_name IN ('poverty', 'migrant') GROUP BY 1 ORDER BY 1 DESC"),
        "county-wide: 2 poor children (S2, S12), one a dropout; S3 the one migrant child, a dropout");
    assertEquals("随迁子女", one("SELECT group_cn FROM indicators WHERE as_of = DATE '2025-10-17' AND group_name = 'migrant'"));
  }

  /** 一个不能少: every target 0, so every school × grade × group with a dropout is over target, and only those. */
  @Test
  void theZeroProfileMarksEveryRowWithADropoutOverTarget() throws Exception {
    Rules zero = Rules.defaults().withProfile("zero");
    Dataset<Row> ind =
        Marts.compute(AsOfInputs.read(SparkTestSession.get(), SampleWarehouse.warehouse(), LocalDate.parse("2025-10-17"), LocalDate.parse("2025-09-01")), zero)
            .get("marts.indicators");
    List<String> over = new ArrayList<>();
    for (Row r : ind.where("over_target").orderBy("school_code", "grade", "group_name").collectAsList()) {
      over.add(r.getAs("school_code") + "/" + r.getAs("grade") + "/" + r.getAs("group_name"));
      assertEquals(0.0, (Double) r.getAs("target_rate"));
      assertEquals("zero", r.getAs("target_profile"));
    }
    assertEquals(List.of("3412220001/7/all", "3412220001/7/migrant", "3412220001/9/all", "3412220001/9/poverty"), over);
    assertEquals(0L, ind.where("target_rate <> 0 OR (dropouts = 0 AND over_target)").count());
    SparkTestSession.get().catalog().clearCache();
  }

  /**
   * 新庄中学 has 7 students 在读 and S9 never reported: 6 of 7 on the first days, 5 once S3's
   * school stops reporting her (09-05), 4 on 09-19 (S8's two contradictory rows are quarantined),
   * 4 from 09-24 (S2 is no longer reported), and 4 of 6 from 10-13, when S2 is 辍学 on the roster.
   * The primary schools report every student 在读 every day.
   */
  @Test
  void completenessCountsWhoWasReportedAgainstTheRosterOfTheDay() throws Exception {
    List<List<Object>> r =
        rows(
            "SELECT CAST(date AS VARCHAR), expected, reported FROM completeness WHERE as_of = DATE '2025-10-17' AND school_code = '3412220001'"
                + " AND date IN ('2025-09-01', '2025-09-04', '2025-09-05', '2025-09-18', '2025-09-19', '2025-09-23', '2025-09-24', '2025-10-11', '2025-10-13', '2025-10-17') ORDER BY date");
    assertEquals(
        List.of(
            List.of("2025-09-01", 7L, 6L),
            List.of("2025-09-04", 7L, 6L),
            List.of("2025-09-05", 7L, 5L),
            List.of("2025-09-18", 7L, 5L),
            List.of("2025-09-19", 7L, 4L),
            List.of("2025-09-23", 7L, 5L),
            List.of("2025-09-24", 7L, 4L),
            List.of("2025-10-11", 7L, 4L),
            List.of("2025-10-13", 6L, 4L),
            List.of("2025-10-17", 6L, 4L)),
        r);
    assertEquals(4.0 / 6, ((Number) one("SELECT completeness FROM completeness WHERE as_of = DATE '2025-10-17' AND school_code = '3412220001' AND date = DATE '2025-10-17'")).doubleValue(), 1e-12);
    assertEquals(31L, ((Number) one("SELECT count(*) FROM completeness WHERE as_of = DATE '2025-10-17' AND school_code = '3412220001'")).longValue(), "31 school days");
    assertEquals(
        List.of(List.of(62L, 1.0)),
        rows("SELECT count(*), min(completeness) FROM completeness WHERE as_of = DATE '2025-10-17' AND school_code IN ('3412220002', '3412220003')"));
  }

  /** Every school delivered every day the same evening: September on time; October's deadlines still ahead on 10-17. */
  @Test
  void timelinessOfTheSampleSchools() throws Exception {
    assertEquals(
        List.of(
            List.of("2025-09", 3L, 17, true, true),
            List.of("2025-10", 3L, 8, false, false)),
        rows(
            "SELECT month, count(*), any_value(expected_days), bool_and(coalesce(school_on_time, false)), bool_and(coalesce(township_on_time, false))"
                + " FROM timeliness WHERE as_of = DATE '2025-10-17' GROUP BY 1 ORDER BY 1"));
    assertEquals(0L, ((Number) one("SELECT count(*) FROM timeliness WHERE as_of = DATE '2025-10-17' AND month = '2025-10' AND school_on_time IS NOT NULL")).longValue());
  }

  @Test
  void quarantineHoldsFiveRowsWithFileLineAndReason() throws Exception {
    List<List<Object>> q = rows("SELECT file, line, reason FROM quarantine ORDER BY delivery_date, file, line");
    assertEquals(5, q.size(), q.toString());
    for (List<Object> r : q) {
      assertNotNull(r.get(0));
      assertTrue(((Number) r.get(1)).intValue() > 1);
      assertFalse(((String) r.get(2)).isBlank());
    }
  }

  @Test
  void openAndOverdueAlertsCountByLatestGrade() throws Exception {
    List<List<Object>> r =
        rows(
            "SELECT grade, open_alerts, overdue_alerts, chronic_absent FROM indicators WHERE as_of = DATE '2025-10-17'"
                + " AND school_code = '3412220001' AND group_name = 'all' AND grade = 9");
    assertEquals(List.of(List.of(9, 1L, 1L, 1L)), r, "S7: one open, overdue alert and chronic absence in grade 9");
  }
}
