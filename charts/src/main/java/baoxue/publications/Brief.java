package baoxue.publications;

import static baoxue.publications.Views.d;
import static baoxue.publications.Views.n;
import static baoxue.publications.Views.s;

import baoxue.charts.Charts;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The monthly 《控辍保学简报》 ({@code ./baoxue brief}). Every figure is read from the analysts'
 * DuckDB views as of the month's last snapshot ({@link #figures}); the prose is written from those
 * figures alone ({@link #document}), so rebuilding a past month gives the same text. No child is
 * named: counts by school only.
 */
public final class Brief {
  private Brief() {}

  /** County totals as of one snapshot. */
  public record Totals(long schools, long base, long dropouts, long returned, long suspected, double rate, double target) {}

  /** One school's line of the month. */
  public record SchoolLine(
      String code, String name, String township, long base, long dropouts, double rate, double target, boolean over,
      long suspected, long openAlerts, long overdue, long nonCompliant, double completeness, Boolean onTime) {}

  /** A grade over target in a school. */
  public record GradeOver(String school, long grade, long base, long dropouts, double rate, double target) {}

  /** Everything the briefing says, read from the views. */
  public record Figures(
      YearMonth month,
      int minVisits,
      LocalDate asOf,
      LocalDate prevAsOf,
      String schoolYear,
      String profile,
      Totals now,
      Totals prev,
      long newDropouts,
      Map<String, Long> dropoutKinds,
      long opened,
      Map<String, Long> closedBy,
      long openAlerts,
      long overdue,
      long visits,
      long leaderVisits,
      long dropoutClosed,
      long threeVisits,
      long leaderVisited,
      long timelyReport,
      long compliant,
      List<SchoolLine> schools,
      List<GradeOver> gradesOver,
      Map<String, Map<String, Long>> reasonsBySchool,
      List<Charts.GroupRate> groups,
      List<Charts.RateBar> grades,
      List<Charts.TrendPoint> trend,
      List<Map<String, Object>> townshipTrend,
      List<Charts.WeekAlerts> weeks,
      List<Map<String, Object>> inspections) {}

  /** Reads the figures of {@code month} from the views (the month's last snapshot). */
  public static Figures figures(Views v, YearMonth month, int minVisits) throws Exception {
    LocalDate first = month.atDay(1);
    LocalDate last = month.atEndOfMonth();
    Map<String, Object> a = v.one("SELECT max(as_of) AS as_of FROM indicators WHERE as_of BETWEEN ? AND ?", first, last);
    LocalDate asOf = (LocalDate) a.get("as_of");
    if (asOf == null) {
      throw new IllegalArgumentException("分析库里没有 " + month + " 的快照：该月还没有处理过任何交付。");
    }
    Map<String, Object> y = v.one("SELECT any_value(school_year) AS y, any_value(target_profile) AS p FROM indicators WHERE as_of = ?", asOf);
    String year = s(y, "y");
    LocalDate prevAsOf =
        (LocalDate) v.one("SELECT max(as_of) AS p FROM indicators WHERE as_of < ? AND school_year = ?", first, year).get("p");
    Totals now = totals(v, asOf);
    Totals prev = prevAsOf == null ? null : totals(v, prevAsOf);
    LocalDate before = prevAsOf == null ? LocalDate.of(1900, 1, 1) : prevAsOf;
    Map<String, Long> kinds = new LinkedHashMap<>();
    long newDropouts = 0;
    for (Map<String, Object> r :
        v.rows(
            "SELECT dropout_event, count(*) AS n FROM cohort WHERE as_of = ? AND is_dropout"
                + " AND student_key NOT IN (SELECT student_key FROM cohort WHERE as_of = ? AND is_dropout) GROUP BY 1 ORDER BY 1",
            asOf, before)) {
      kinds.put(s(r, "dropout_event"), n(r, "n"));
      newDropouts += n(r, "n");
    }
    Map<String, Object> al =
        v.one(
            "SELECT count(*) FILTER (WHERE opened_on BETWEEN ? AND ?) AS opened,"
                + " count(*) FILTER (WHERE resolution = 'open') AS open_alerts,"
                + " count(*) FILTER (WHERE resolution = 'open' AND overdue) AS overdue,"
                + " count(*) FILTER (WHERE resolution = 'dropout') AS dropout_closed,"
                + " count(*) FILTER (WHERE resolution = 'dropout' AND home_visits >= " + minVisits + ") AS three_visits,"
                + " count(*) FILTER (WHERE resolution = 'dropout' AND leader_visit) AS leader_visited,"
                + " count(*) FILTER (WHERE resolution = 'dropout' AND report_filed AND report_on <= due_on) AS timely_report,"
                + " count(*) FILTER (WHERE resolution = 'dropout' AND compliant) AS compliant"
                + " FROM alerts WHERE as_of = ?",
            first, last, asOf);
    Map<String, Long> closedBy = new LinkedHashMap<>();
    for (Map<String, Object> r :
        v.rows(
            "SELECT resolution_cn, count(*) AS n FROM alerts WHERE as_of = ? AND closed_on BETWEEN ? AND ?"
                + " GROUP BY 1 ORDER BY count(*) DESC, 1",
            asOf, first, last)) {
      closedBy.put(s(r, "resolution_cn"), n(r, "n"));
    }
    Map<String, Object> vis =
        v.one(
            "SELECT count(*) FILTER (WHERE type IN ('home_visit', 'leader_visit')) AS visits,"
                + " count(*) FILTER (WHERE type = 'leader_visit') AS leader FROM fact_interventions"
                + " WHERE date BETWEEN ? AND ? AND delivery_date <= ?",
            first, last, asOf);
    List<SchoolLine> schools = new ArrayList<>();
    for (Map<String, Object> r :
        v.rows(
            "WITH a AS (SELECT school_code, count(*) FILTER (WHERE resolution = 'open') AS open_alerts,"
                + "   count(*) FILTER (WHERE resolution = 'open' AND overdue) AS overdue,"
                + "   count(*) FILTER (WHERE resolution = 'dropout' AND NOT compliant) AS non_compliant"
                + "   FROM alerts WHERE as_of = ? GROUP BY 1),"
                + " c AS (SELECT school_code, sum(reported) / nullif(sum(expected), 0) AS completeness FROM completeness_history"
                + "   WHERE as_of = ? AND date BETWEEN ? AND ? GROUP BY 1),"
                + " t AS (SELECT school_code, school_on_time FROM timeliness WHERE as_of = ? AND month = ?)"
                + " SELECT i.school_code, d.school_name, i.township, i.base_enrollment, i.dropouts, i.attrition_rate, i.target_rate,"
                + "   i.over_target, i.suspected_dropouts, coalesce(a.open_alerts, 0) AS open_alerts, coalesce(a.overdue, 0) AS overdue,"
                + "   coalesce(a.non_compliant, 0) AS non_compliant, c.completeness, t.school_on_time"
                + " FROM indicators_school i LEFT JOIN dim_school d USING (school_code) LEFT JOIN a USING (school_code)"
                + "   LEFT JOIN c USING (school_code) LEFT JOIN t USING (school_code)"
                + " WHERE i.as_of = ? AND i.group_name = 'all' ORDER BY i.township, i.school_code",
            asOf, asOf, first, last, asOf, month.toString(), asOf)) {
      schools.add(
          new SchoolLine(
              s(r, "school_code"), s(r, "school_name"), s(r, "township"), n(r, "base_enrollment"), n(r, "dropouts"),
              d(r, "attrition_rate"), d(r, "target_rate"), Boolean.TRUE.equals(r.get("over_target")), n(r, "suspected_dropouts"),
              n(r, "open_alerts"), n(r, "overdue"), n(r, "non_compliant"), d(r, "completeness"), (Boolean) r.get("school_on_time")));
    }
    List<GradeOver> gradesOver = new ArrayList<>();
    for (Map<String, Object> r :
        v.rows(
            "SELECT school_code, grade, base_enrollment, dropouts, attrition_rate, target_rate FROM indicators"
                + " WHERE as_of = ? AND group_name = 'all' AND over_target ORDER BY school_code, grade",
            asOf)) {
      gradesOver.add(
          new GradeOver(s(r, "school_code"), n(r, "grade"), n(r, "base_enrollment"), n(r, "dropouts"), d(r, "attrition_rate"), d(r, "target_rate")));
    }
    Map<String, Map<String, Long>> reasons = new LinkedHashMap<>();
    for (Map<String, Object> r :
        v.rows(
            "WITH dd AS (SELECT student_key, school_code FROM cohort WHERE as_of = ? AND is_dropout),"
                + " r AS (SELECT student_key, arg_max(reason_category_cn, date) AS reason FROM fact_interventions"
                + "   WHERE delivery_date <= ? AND reason_category_cn IS NOT NULL GROUP BY 1)"
                + " SELECT dd.school_code, coalesce(r.reason, '未登记原因') AS reason, count(*) AS n FROM dd LEFT JOIN r USING (student_key)"
                + " GROUP BY ALL ORDER BY dd.school_code, n DESC, reason",
            asOf, asOf)) {
      reasons.computeIfAbsent(s(r, "school_code"), k -> new LinkedHashMap<>()).put(s(r, "reason"), n(r, "n"));
    }
    List<Charts.GroupRate> groups = new ArrayList<>();
    for (Map<String, Object> r :
        v.rows(
            "SELECT group_name, any_value(group_cn) AS group_cn, sum(dropouts) / nullif(sum(base_enrollment), 0) AS rate FROM indicators"
                + " WHERE as_of = ? GROUP BY 1 ORDER BY list_position(['all', 'poverty', 'disabled', 'disabled_parent', 'left_behind', 'migrant'], group_name)",
            asOf)) {
      groups.add(new Charts.GroupRate(s(r, "group_cn"), d(r, "rate")));
    }
    List<Charts.RateBar> grades = new ArrayList<>();
    for (Map<String, Object> r :
        v.rows(
            "SELECT grade, sum(dropouts) / nullif(sum(base_enrollment), 0) AS rate, max(target_rate) AS target FROM indicators"
                + " WHERE as_of = ? AND group_name = 'all' GROUP BY 1 ORDER BY 1",
            asOf)) {
      grades.add(new Charts.RateBar(gradeCn(n(r, "grade")), d(r, "rate"), d(r, "target")));
    }
    String yearStart = year.substring(0, 4) + "-09";
    List<Charts.TrendPoint> trend = new ArrayList<>();
    for (Map<String, Object> r :
        v.rows(
            "SELECT month, dropouts, returned, suspected_dropouts FROM trend_monthly WHERE level = '县' AND month BETWEEN ? AND ? ORDER BY month",
            yearStart, month.toString())) {
      trend.add(new Charts.TrendPoint(s(r, "month"), n(r, "dropouts"), n(r, "returned"), n(r, "suspected_dropouts")));
    }
    List<Map<String, Object>> townshipTrend =
        v.rows(
            "SELECT month, area, dropouts, returned, suspected_dropouts, alerts_opened, alerts_closed FROM trend_monthly"
                + " WHERE level = '乡镇' AND month BETWEEN ? AND ? ORDER BY area, month",
            yearStart, month.toString());
    List<Charts.WeekAlerts> weeks = new ArrayList<>();
    for (LocalDate ws = first.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)); !ws.isAfter(asOf); ws = ws.plusWeeks(1)) {
      LocalDate we = ws.plusDays(6).isAfter(asOf) ? asOf : ws.plusDays(6);
      Map<String, Object> w =
          v.one(
              "SELECT count(*) FILTER (WHERE opened_on BETWEEN ? AND ?) AS opened,"
                  + " count(*) FILTER (WHERE closed_on BETWEEN ? AND ? AND resolution = 'returned') AS returned,"
                  + " count(*) FILTER (WHERE closed_on BETWEEN ? AND ? AND resolution = 'excused') AS excused,"
                  + " count(*) FILTER (WHERE closed_on BETWEEN ? AND ? AND resolution = 'moved') AS moved,"
                  + " count(*) FILTER (WHERE closed_on BETWEEN ? AND ? AND resolution = 'dropout') AS dropout,"
                  + " count(*) FILTER (WHERE opened_on <= ? AND (closed_on IS NULL OR closed_on > ?) AND due_on < ?) AS overdue"
                  + " FROM alerts WHERE as_of = ?",
              ws, we, ws, we, ws, we, ws, we, ws, we, we, we, we, asOf);
      weeks.add(
          new Charts.WeekAlerts(
              ws.getMonthValue() + "/" + ws.getDayOfMonth() + "–" + we.getMonthValue() + "/" + we.getDayOfMonth(),
              n(w, "opened"), n(w, "returned"), n(w, "excused"), n(w, "moved"), n(w, "dropout"), n(w, "overdue")));
    }
    List<Map<String, Object>> inspections =
        v.rows(
            "SELECT f.school_code, any_value(d.school_name) AS school_name, count(*) AS classes, sum(f.on_register) AS on_register,"
                + " sum(f.system_register) AS system_register, sum(f.present) AS present, sum(f.on_leave) AS on_leave, sum(f.unseen) AS unseen,"
                + " sum(f.discrepancy) AS discrepancy, sum(f.discrepancy) / greatest(sum(greatest(f.on_register, f.system_register, 1)), 1) AS rate"
                + " FROM inspection_findings f LEFT JOIN dim_school d USING (school_code)"
                + " WHERE (f.date BETWEEN ? AND ? OR f.delivery_date BETWEEN ? AND ?) AND f.delivery_date <= ? GROUP BY 1 ORDER BY 1",
            first, last, first, last, asOf);
    return new Figures(
        month, minVisits, asOf, prevAsOf, year, s(y, "p"), now, prev, newDropouts, kinds, n(al, "opened"), closedBy, n(al, "open_alerts"),
        n(al, "overdue"), n(vis, "visits"), n(vis, "leader"), n(al, "dropout_closed"), n(al, "three_visits"),
        n(al, "leader_visited"), n(al, "timely_report"), n(al, "compliant"), schools, gradesOver, reasons, groups, grades, trend,
        townshipTrend, weeks, inspections);
  }

  private static Totals totals(Views v, LocalDate asOf) throws Exception {
    Map<String, Object> r =
        v.one(
            "SELECT count(DISTINCT school_code) AS schools, sum(base_enrollment) AS base, sum(dropouts) AS dropouts,"
                + " sum(returned) AS returned, sum(suspected_dropouts) AS suspected,"
                + " sum(dropouts) / nullif(sum(base_enrollment), 0) AS rate,"
                + " sum(base_enrollment * target_rate) / nullif(sum(base_enrollment), 0) AS target"
                + " FROM indicators WHERE as_of = ? AND group_name = 'all'",
            asOf);
    return new Totals(n(r, "schools"), n(r, "base"), n(r, "dropouts"), n(r, "returned"), n(r, "suspected"), d(r, "rate"), d(r, "target"));
  }

  // ---------------------------------------------------------------- the document

  /** The issue number within the school year: September is 第 1 期, August 第 12 期. */
  public static int issueNumber(YearMonth m) {
    return (m.getMonthValue() + 3) % 12 + 1;
  }

  /** The briefing of the figures: prose, tables and charts, in that order. */
  public static Doc document(Figures f, String issuer) {
    String year = f.schoolYear().replace("-", "—");
    Doc doc =
        new Doc(
            "控辍保学简报",
            issuer + "　" + year + " 学年第 " + issueNumber(f.month()) + " 期　数据截至 " + date(f.asOf()),
            "《控辍保学简报》" + year + " 学年第 " + issueNumber(f.month()) + " 期");
    Totals t = f.now();
    String monthCn = f.month().getYear() + " 年 " + f.month().getMonthValue() + " 月";

    doc.h1("一、总体情况");
    StringBuilder p = new StringBuilder();
    p.append("截至 ").append(date(f.asOf())).append("，全县 ").append(t.schools()).append(" 所义务教育学校学年初在读学生（基数）")
        .append(t.base()).append(" 人，本学年累计辍学 ").append(t.dropouts()).append(" 人，流失率 ").append(pct(t.rate()));
    if (f.prev() != null) {
      p.append("，较上月末（").append(date(f.prevAsOf())).append("）").append(change(t.rate(), f.prev().rate()));
    }
    p.append("；控制目标 ").append(pct(t.target())).append("（").append(profileCn(f.profile())).append("），")
        .append(t.rate() > t.target() ? "全县流失率高于目标" : "全县流失率未超过目标").append("。");
    p.append("本月新增辍学 ").append(f.newDropouts()).append(" 人");
    if (!f.dropoutKinds().isEmpty()) {
      List<String> k = new ArrayList<>();
      f.dropoutKinds().forEach((kind, c) -> k.add(kindCn(kind) + " " + c + " 人"));
      p.append("（").append(String.join("，", k)).append("）");
    }
    p.append("；本学年累计劝返复学 ").append(t.returned()).append(" 人");
    if (f.prev() != null) {
      p.append("（上月末 ").append(f.prev().returned()).append(" 人）");
    }
    p.append("；目前疑似辍学 ").append(t.suspected()).append(" 人");
    if (f.prev() != null) {
      p.append("（上月末 ").append(f.prev().suspected()).append(" 人）");
    }
    p.append("。");
    doc.para(p.toString());

    StringBuilder q = new StringBuilder();
    q.append("本月新触发“两天规则”预警 ").append(f.opened()).append(" 条，结案 ").append(sum(f.closedBy())).append(" 条");
    if (!f.closedBy().isEmpty()) {
      List<String> k = new ArrayList<>();
      f.closedBy().forEach((r, c) -> k.add(r + " " + c + " 条"));
      q.append("（").append(String.join("，", k)).append("）");
    }
    q.append("；截至 ").append(date(f.asOf())).append(" 仍有 ").append(f.openAlerts()).append(" 条未结");
    if (f.openAlerts() > 0) {
      q.append(f.overdue() == 0 ? "，均未超过 15 天期限" : "，其中 " + f.overdue() + " 条已超过 15 天期限");
    }
    q.append("。本月各校登记家访 ").append(f.visits()).append(" 次，其中校领导家访 ").append(f.leaderVisits()).append(" 次。");
    if (f.dropoutClosed() > 0) {
      q.append("本学年按辍学结案的预警 ").append(f.dropoutClosed()).append(" 条，家访达到 ").append(f.minVisits()).append(" 次的 ").append(f.threeVisits())
          .append(" 条，有校领导家访的 ").append(f.leaderVisited()).append(" 条，15 天内报送流失报告的 ").append(f.timelyReport())
          .append(" 条，程序完整的 ").append(f.compliant()).append(" 条。");
    }
    doc.para(q.toString());

    List<Charts.RateBar> bySchool = new ArrayList<>();
    for (SchoolLine s : f.schools()) {
      bySchool.add(new Charts.RateBar(s.name() == null ? s.code() : s.name(), s.rate(), s.target()));
    }
    doc.figure(Charts.attrition("各校流失率与控制目标", bySchool), "图 1　各校流失率与控制目标（截至 " + date(f.asOf()) + "）", 480, 270);
    doc.figure(Charts.attrition("各年级流失率与控制目标（全县）", f.grades()), "图 2　全县各年级流失率与控制目标", 480, 250);
    doc.figure(Charts.monthlyTrend("本学年各月辍学、劝返复学与疑似辍学（全县）", f.trend()), "图 3　全县月度趋势（各月最后一个快照）", 480, 250);
    doc.figure(Charts.groups("重点群体流失率", f.groups()), "图 4　重点群体与全体学生的流失率", 480, 250);
    List<Charts.AreaMonth> areas = new ArrayList<>();
    f.townshipTrend().forEach(r -> areas.add(new Charts.AreaMonth(s(r, "area"), s(r, "month"), n(r, "dropouts"), n(r, "suspected_dropouts"))));
    doc.figure(Charts.townships("各乡镇每月辍学与疑似辍学人数", areas), "图 5　各乡镇月度趋势（辍学 + 疑似辍学，各月最后一个快照）", 480, 240);

    doc.h1("二、超过控制目标的学校");
    List<SchoolLine> over = f.schools().stream().filter(SchoolLine::over).toList();
    if (over.isEmpty()) {
      doc.para("截至 " + date(f.asOf()) + "，没有学校的流失率超过控制目标。");
    } else {
      doc.para("截至 " + date(f.asOf()) + "，有 " + over.size() + " 所学校的流失率超过控制目标：" + names(over) + "。具体情况如下。");
      for (SchoolLine s : over) {
        StringBuilder b = new StringBuilder();
        b.append(s.name()).append("（").append(s.township()).append("）基数 ").append(s.base()).append(" 人，辍学 ").append(s.dropouts())
            .append(" 人，流失率 ").append(pct(s.rate())).append("，目标 ").append(pct(s.target())).append("。");
        List<String> g = new ArrayList<>();
        for (GradeOver go : f.gradesOver()) {
          if (go.school().equals(s.code())) {
            g.add(gradeCn(go.grade()) + "基数 " + go.base() + " 人、辍学 " + go.dropouts() + " 人（" + pct(go.rate()) + "，目标 " + pct(go.target()) + "）");
          }
        }
        if (!g.isEmpty()) {
          b.append("超标年级：").append(String.join("；", g)).append("。");
        }
        Map<String, Long> r = f.reasonsBySchool().get(s.code());
        if (r != null && !r.isEmpty()) {
          List<String> k = new ArrayList<>();
          r.forEach((reason, c) -> k.add(reason + " " + c + " 人"));
          b.append("辍学原因：").append(String.join("，", k)).append("。");
        }
        if (s.suspected() > 0) {
          b.append("另有疑似辍学 ").append(s.suspected()).append(" 人，须尽快核实。");
        }
        doc.para(b.toString());
      }
    }

    doc.h1("三、预警处置与逾期情况");
    doc.figure(Charts.alertsByWeek("本月各周预警：新增、结案与逾期", f.weeks()), "图 6　本月各周新增、结案（按结果）与周末逾期未结的预警", 480, 260);
    if (f.dropoutClosed() > 0) {
      doc.figure(
          Charts.compliance(
              "辍学结案的程序完整率", frac(f.threeVisits(), f.dropoutClosed()), frac(f.leaderVisited(), f.dropoutClosed()),
              frac(f.timelyReport(), f.dropoutClosed()), frac(f.compliant(), f.dropoutClosed())),
          "图 7　按辍学结案的预警中，家访 ≥ " + f.minVisits() + " 次、校领导家访、15 天内报送流失报告的比例", 480, 220);
    }
    List<SchoolLine> late = f.schools().stream().filter(s -> s.overdue() > 0 || s.nonCompliant() > 0).toList();
    if (late.isEmpty()) {
      doc.para("截至 " + date(f.asOf()) + "，没有逾期未结的预警，也没有程序不完整的辍学结案。");
    } else {
      long o = late.stream().mapToLong(SchoolLine::overdue).sum();
      long nc = late.stream().mapToLong(SchoolLine::nonCompliant).sum();
      doc.para(
          "截至 " + date(f.asOf()) + "，" + late.size() + " 所学校有逾期未结的预警或程序不完整的辍学结案，合计逾期未结 " + o + " 条、程序不完整 " + nc
              + " 条（见下表，只列数量）。请相关学校在 3 个工作日内补齐家访、校领导家访和流失报告，乡镇中心学校督促落实。");
      List<List<String>> rows = new ArrayList<>();
      for (SchoolLine s : late) {
        rows.add(List.of(s.name(), s.township(), String.valueOf(s.openAlerts()), String.valueOf(s.overdue()), String.valueOf(s.nonCompliant())));
      }
      doc.table(List.of("学校", "乡镇", "未结预警", "其中逾期", "程序不完整的辍学结案"), rows, 3, 2, 1.2f, 1.2f, 2);
    }

    doc.h1("四、数据报送");
    List<SchoolLine> incomplete = f.schools().stream().filter(s -> s.completeness() < 0.9999).toList();
    List<SchoolLine> lateReport = f.schools().stream().filter(s -> Boolean.FALSE.equals(s.onTime())).toList();
    double avg = f.schools().stream().mapToDouble(SchoolLine::completeness).average().orElse(0);
    StringBuilder c = new StringBuilder();
    c.append("本月各校考勤数据平均完整率 ").append(pct(avg)).append("，");
    c.append(incomplete.isEmpty() ? "各校均按上课日报齐。" : incomplete.size() + " 所学校未报齐：" + names(incomplete) + "。");
    if (lateReport.isEmpty()) {
      c.append("本月月报各校均在 23 日前报送。");
    } else {
      c.append(lateReport.size()).append(" 所学校未在 23 日前报齐当月考勤：").append(names(lateReport)).append("。");
    }
    doc.para(c.toString());
    List<baoxue.charts.Charts.SchoolValue> comp = new ArrayList<>();
    f.schools().forEach(s -> comp.add(new Charts.SchoolValue(s.name(), s.completeness())));
    doc.figure(Charts.ranked("各校本月考勤数据完整率", "完整率", comp), "图 8　各校本月考勤数据完整率（由低到高）", 480, Math.max(160, 60 + 22 * comp.size()));
    List<List<String>> rows = new ArrayList<>();
    for (SchoolLine s : f.schools()) {
      rows.add(
          List.of(
              s.name(), s.township(), String.valueOf(s.base()), String.valueOf(s.dropouts()), pct(s.rate()), pct(s.target()),
              String.valueOf(s.suspected()), String.valueOf(s.openAlerts()), pct(s.completeness()),
              s.onTime() == null ? "未到期" : s.onTime() ? "按时" : "逾期"));
    }
    doc.h2("附表　各校指标");
    doc.table(List.of("学校", "乡镇", "基数", "辍学", "流失率", "目标", "疑似辍学", "未结预警", "完整率", "月报"), rows, 3, 2, 1, 1, 1.3f, 1.3f, 1.3f, 1.3f, 1.3f, 1.2f);
    if (f.townshipTrend().stream().map(r -> r.get("area")).distinct().count() > 1) {
      List<List<String>> tr = new ArrayList<>();
      for (Map<String, Object> r : f.townshipTrend()) {
        tr.add(List.of(s(r, "area"), s(r, "month"), s(r, "dropouts"), s(r, "returned"), s(r, "suspected_dropouts"), s(r, "alerts_opened")));
      }
      doc.h2("附表　各乡镇月度趋势");
      doc.table(List.of("乡镇", "月份", "辍学", "劝返复学", "疑似辍学", "新增预警"), tr);
    }

    int m = f.month().getMonthValue();
    int section = 5;
    if (!f.inspections().isEmpty()) {
      doc.h1(cn(section++) + "、季查发现");
      long unseen = f.inspections().stream().mapToLong(r -> n(r, "unseen")).sum();
      long classes = f.inspections().stream().mapToLong(r -> n(r, "classes")).sum();
      doc.para(
          "本月收到县督导室对 " + f.inspections().size() + " 所学校 " + classes + " 个班的季查结果（检查日期在本月或本月送达），点名未见、无法说明去向的学生共 " + unseen
              + " 人，已列入空挂学籍疑似名单，请所在学校逐一核实。各校检查结果如下（差异 = 未见学生数 + 在册人数与系统不符的人数 + 实到人数与学校当天所报出勤不符的人数）。");
      List<List<String>> found = new ArrayList<>();
      for (Map<String, Object> r : f.inspections()) {
        found.add(List.of(s(r, "school_name"), s(r, "classes"), s(r, "on_register"), s(r, "system_register"), s(r, "present"), s(r, "on_leave"),
            s(r, "unseen"), pct(d(r, "rate"))));
      }
      doc.table(List.of("学校", "检查班数", "在册", "系统在册", "实到", "请假", "未见", "差异率"), found, 3, 1.2f, 1, 1.2f, 1, 1, 1, 1.2f);
    }
    if (m == 3 || m == 9) {
      doc.h1(cn(section) + "、“控辍月”专项");
      doc.para(
          "按照每年 3 月和 9 月开展“控辍月”活动的要求，本月是" + (m == 9 ? "秋季" : "春季") + "学期开学“控辍月”。开学以来全县触发预警 " + f.opened()
              + " 条，登记家访 " + f.visits() + " 次，劝返复学累计 " + t.returned() + " 人；仍有疑似辍学 " + t.suspected() + " 人、未结预警 "
              + f.openAlerts() + " 条。请各校对开学后仍未到校的学生逐一家访动员，与村（居）委会联系，做好宣传《义务教育法》和“告家长一封信”等工作，"
              + "月底前把结果录入控辍台账。");
    }
    doc.note(
        "说明：本简报由 baoxue 根据分析库 baoxue.duckdb 的视图自动生成（indicators、indicators_school、alerts、cohort、fact_interventions、"
            + "completeness_history、timeliness、trend_monthly、inspection_findings），数据截至 " + date(f.asOf()) + "。流失率 = 本学年辍学人数 ÷ 学年初在读基数；"
            + "“较上月”比较的是上月最后一个快照。本简报不含学生个人信息。");
    return doc;
  }

  /** Writes 控辍保学简报_YYYY-MM.pdf and .html into {@code out}; returns both paths. */
  public static List<Path> write(Path warehouse, YearMonth month, Path out, String issuer, int minVisits) throws Exception {
    Figures f;
    try (Views v = Views.open(warehouse)) {
      f = figures(v, month, minVisits);
    }
    Doc doc = document(f, issuer);
    String base = "控辍保学简报_" + month;
    return List.of(PdfOut.write(doc, out.resolve(base + ".pdf")), HtmlOut.write(doc, out.resolve(base + ".html")));
  }

  // ---------------------------------------------------------------- wording

  public static String pct(double r) {
    return String.format(Locale.ROOT, "%.1f%%", r * 100);
  }

  static String change(double now, double before) {
    double d = Math.round((now - before) * 1000) / 10.0;
    if (d == 0) {
      return "持平";
    }
    return (d > 0 ? "上升 " : "下降 ") + String.format(Locale.ROOT, "%.1f", Math.abs(d)) + " 个百分点";
  }

  static String date(LocalDate d) {
    return d.getYear() + " 年 " + d.getMonthValue() + " 月 " + d.getDayOfMonth() + " 日";
  }

  static String gradeCn(long g) {
    String[] n = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    return g >= 1 && g <= 9 ? n[(int) g] + "年级" : g + " 年级";
  }

  static String kindCn(String kind) {
    if (kind == null) {
      return "其他";
    }
    return switch (kind) {
      case "dropout_change" -> "辍学异动";
      case "transfer_pending" -> "转出待审批满 30 天未落实";
      default -> kind;
    };
  }

  static String cn(int n) {
    return new String[] {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}[n];
  }

  static String profileCn(String p) {
    return "zero".equals(p) ? "零辍学方案" : "分学段目标方案";
  }

  private static String names(List<SchoolLine> s) {
    return String.join("、", s.stream().map(SchoolLine::name).toList());
  }

  private static long sum(Map<String, Long> m) {
    return m.values().stream().mapToLong(Long::longValue).sum();
  }

  private static double frac(long a, long b) {
    return b == 0 ? 0 : (double) a / b;
  }
}
