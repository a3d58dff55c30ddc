package baoxue.inspect;

import baoxue.publications.Brief;
import baoxue.publications.Cases;
import baoxue.publications.Views;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The risk frame of a 季查 draw: per school and per class, as of a date, the signals an inspector
 * cares about and the weight they give (base + points, {@code pipelines/inspection.yaml}). Read
 * from the analysts' DuckDB views at the latest snapshot on or before the date; the frame's digest
 * goes into the draw record so a later change of the warehouse is detected by {@code verify}.
 */
public final class RiskFrame {
  /** A signal that scored: its key, points and a sentence an inspector can read. */
  public record Signal(String key, double points, String why) {}

  public record School(String code, String name, String township, double weight, List<Signal> signals) {}

  public record Clazz(String school, long grade, String clazz, long size, double weight, List<Signal> signals) {
    public String label() {
      return grade + " 年级 " + clazz + " 班";
    }
  }

  public record Frame(LocalDate date, LocalDate asOf, String rules, List<School> schools, List<Clazz> classes) {
    /** SHA-256 of the frame's canonical text (every school and class, weight and signal). */
    public String digest() {
      StringBuilder b = new StringBuilder("asOf=").append(asOf).append(";rules=").append(rules).append('\n');
      for (School s : schools) {
        b.append("S|").append(s.code()).append('|').append(num(s.weight()));
        s.signals().forEach(g -> b.append('|').append(g.key()).append('=').append(num(g.points())));
        b.append('\n');
      }
      for (Clazz c : classes) {
        b.append("C|").append(c.school()).append('|').append(c.grade()).append('|').append(c.clazz()).append('|').append(c.size()).append('|').append(num(c.weight()));
        c.signals().forEach(g -> b.append('|').append(g.key()).append('=').append(num(g.points())));
        b.append('\n');
      }
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    public List<Clazz> classesOf(String school) {
      return classes.stream().filter(c -> c.school().equals(school)).toList();
    }
  }

  private RiskFrame() {}

  static String num(double d) {
    return String.format(Locale.ROOT, "%.4f", d);
  }

  /** A signal scored per item ({@code n} of them, {@code each} points, at most {@code cap}); nothing when there is none. */
  private static void counted(List<Signal> g, String key, long n, double each, double cap, String why) {
    if (n > 0) {
      g.add(new Signal(key, Math.min(cap, n * each), String.format(why, n)));
    }
  }

  public static Frame compute(Views v, LocalDate date, Quarter q, InspectionRules r) throws Exception {
    LocalDate asOf = (LocalDate) v.one("SELECT max(as_of) AS a FROM indicators WHERE as_of <= ?", date).get("a");
    if (asOf == null) {
      throw new IllegalArgumentException("分析库里没有 " + date + " 及以前的快照：先处理交付（./baoxue run）。");
    }
    LocalDate term = Cases.Term.of(asOf).first();
    List<School> schools = new ArrayList<>();
    Map<String, Long> tooGood = new LinkedHashMap<>();
    List<Clazz> classes = classes(v, asOf, term, r, tooGood);
    for (Map<String, Object> s :
        v.rows(
            "WITH s AS (SELECT i.school_code, d.school_name, i.township, i.attrition_rate, i.target_rate, i.over_target"
                + "   FROM indicators_school i LEFT JOIN dim_school d USING (school_code) WHERE i.as_of = ? AND i.group_name = 'all'),"
                + " w AS (SELECT school_code, count(*) FILTER (WHERE kind = 'suspected_dropout') AS suspected,"
                + "   count(*) FILTER (WHERE kind = 'ghost') AS ghosts FROM watchlist WHERE as_of = ? GROUP BY 1),"
                + " a AS (SELECT school_code, count(*) FILTER (WHERE resolution = 'open' AND overdue) AS overdue,"
                + "   count(*) FILTER (WHERE resolution = 'dropout' AND NOT compliant) AS non_compliant FROM alerts WHERE as_of = ? GROUP BY 1),"
                + " cd AS (SELECT DISTINCT date FROM completeness_history WHERE as_of = ? ORDER BY date DESC LIMIT 20),"
                + " c AS (SELECT school_code, sum(reported) / nullif(sum(expected), 0) AS completeness FROM completeness_history"
                + "   WHERE as_of = ? AND date IN (SELECT date FROM cd) GROUP BY 1),"
                + " t AS (SELECT school_code, count(*) FILTER (WHERE school_on_time = false) AS late_months FROM timeliness"
                + "   WHERE as_of = ? AND month >= ? GROUP BY 1),"
                + " f AS (SELECT school_code, sum(discrepancy) AS discrepancy, sum(greatest(on_register, system_register, 1)) AS inspected,"
                + "   count(*) AS inspections FROM inspection_findings WHERE date < ? AND date >= ? AND delivery_date <= ? GROUP BY 1),"
                + " rv AS (SELECT school_code, snapshot_date, count(*) FILTER (WHERE status = 'enrolled') AS enrolled,"
                + "   md5(string_agg(student_key || '|' || grade || '|' || class || '|' || status, ',' ORDER BY student_key)) AS fp"
                + "   FROM fact_roster WHERE snapshot_date BETWEEN ? AND ? GROUP BY 1, 2),"
                + " rs AS (SELECT school_code, count(*) AS snapshots, count(DISTINCT fp) AS versions, max(enrolled) AS enrolled FROM rv GROUP BY 1),"
                + " ch AS (SELECT school_code, count(*) AS changes FROM (SELECT from_school_code AS school_code FROM fact_changes"
                + "   WHERE change_date BETWEEN ? AND ? AND delivery_date <= ? UNION ALL SELECT to_school_code FROM fact_changes"
                + "   WHERE change_date BETWEEN ? AND ? AND delivery_date <= ?) GROUP BY 1)"
                + " SELECT s.*, coalesce(w.suspected, 0) AS suspected, coalesce(w.ghosts, 0) AS ghosts, coalesce(a.overdue, 0) AS overdue,"
                + "   coalesce(a.non_compliant, 0) AS non_compliant, c.completeness, coalesce(t.late_months, 0) AS late_months,"
                + "   f.discrepancy, f.inspected, f.inspections, rs.snapshots, rs.versions, rs.enrolled, coalesce(ch.changes, 0) AS changes"
                + " FROM s LEFT JOIN w USING (school_code) LEFT JOIN a USING (school_code) LEFT JOIN c USING (school_code)"
                + "   LEFT JOIN t USING (school_code) LEFT JOIN f USING (school_code) LEFT JOIN rs USING (school_code) LEFT JOIN ch USING (school_code)"
                + " ORDER BY s.school_code",
            asOf, asOf, asOf, asOf, asOf, asOf, term.toString().substring(0, 7), q.first(), q.first().minusYears(1), asOf, term, asOf,
            term, asOf, asOf, term, asOf, asOf)) {
      String code = Views.s(s, "school_code");
      List<Signal> g = new ArrayList<>();
      if (Boolean.TRUE.equals(s.get("over_target"))) {
        g.add(new Signal("over_target", r.school("over_target"),
            "流失率 " + Brief.pct(Views.d(s, "attrition_rate")) + " 超过控制目标 " + Brief.pct(Views.d(s, "target_rate"))));
      }
      counted(g, "suspected", Views.n(s, "suspected"), r.school("suspected_each"), r.school("suspected_cap"), "疑似辍学 %d 人");
      counted(g, "ghosts", Views.n(s, "ghosts"), r.school("ghost_each"), r.school("ghost_cap"), "空挂学籍疑似 %d 人");
      counted(g, "overdue", Views.n(s, "overdue"), r.school("overdue_each"), r.school("overdue_cap"), "逾期未结预警 %d 条");
      counted(g, "non_compliant", Views.n(s, "non_compliant"), r.school("non_compliant_each"), r.school("non_compliant_cap"), "程序不完整的辍学结案 %d 条");
      if (s.get("completeness") != null && Views.d(s, "completeness") < r.school("low_completeness_below")) {
        g.add(new Signal("low_completeness", r.school("low_completeness"), "最近 20 个上课日考勤完整率 " + Brief.pct(Views.d(s, "completeness"))));
      }
      counted(g, "late_months", Views.n(s, "late_months"), r.school("late_month_each"), r.school("late_month_cap"), "本学期 %d 个月未在 23 日前报齐考勤");
      counted(g, "too_good_classes", tooGood.getOrDefault(code, 0L), r.school("too_good_class_each"), r.school("too_good_class_cap"), "%d 个班的考勤好得不真实");
      if (Views.n(s, "snapshots") >= 3 && Views.n(s, "versions") == 1 && Views.n(s, "changes") == 0
          && Views.n(s, "enrolled") >= r.school("roster_frozen_min_students")) {
        g.add(new Signal("roster_frozen", r.school("roster_frozen"),
            "本学期 " + Views.n(s, "snapshots") + " 次名册完全相同，" + Views.n(s, "enrolled") + " 名学生没有任何异动"));
      }
      if (s.get("discrepancy") != null && Views.d(s, "discrepancy") > 0) {
        double rate = Views.d(s, "discrepancy") / Math.max(1, Views.d(s, "inspected"));
        g.add(new Signal("discrepancy", Math.min(r.school("discrepancy_cap"), Math.floor(rate * 10 * 1000) / 1000 * r.school("discrepancy_per_10pct")),
            "此前一年季查差异率 " + Brief.pct(rate) + "（" + Views.n(s, "inspections") + " 次班级检查）"));
      }
      double weight = r.school("base") + g.stream().mapToDouble(Signal::points).sum();
      schools.add(new School(code, Views.s(s, "school_name"), Views.s(s, "township"), weight, List.copyOf(g)));
    }
    return new Frame(date, asOf, r.fingerprint, List.copyOf(schools), classes);
  }

  private static List<Clazz> classes(Views v, LocalDate asOf, LocalDate term, InspectionRules r, Map<String, Long> tooGood) throws Exception {
    List<Clazz> out = new ArrayList<>();
    for (Map<String, Object> c :
        v.rows(
            "WITH snap AS (SELECT school_code, max(snapshot_date) AS sd FROM fact_roster WHERE snapshot_date <= ? GROUP BY 1),"
                + " r AS (SELECT f.student_key, f.school_code, f.grade, f.class FROM fact_roster f JOIN snap"
                + "   ON f.school_code = snap.school_code AND f.snapshot_date = snap.sd WHERE f.status = 'enrolled'),"
                + " sz AS (SELECT school_code, grade, class, count(*) AS size FROM r GROUP BY ALL),"
                + " att AS (SELECT r.school_code, r.grade, r.class, a.date, count(*) FILTER (WHERE a.status <> 'present') AS absent,"
                + "   md5(string_agg(CASE WHEN a.status <> 'present' THEN a.student_key || ':' || a.status END, ',' ORDER BY a.student_key)) AS pattern"
                + "   FROM fact_attendance a JOIN r USING (student_key, school_code) WHERE a.date BETWEEN ? AND ? AND a.delivery_date <= ? GROUP BY ALL),"
                + " ac AS (SELECT school_code, grade, class, count(*) AS days, sum(absent) AS absences,"
                + "   count(DISTINCT pattern) AS patterns, count(*) FILTER (WHERE absent = 0) AS clean_days FROM att GROUP BY ALL),"
                + " w AS (SELECT school_code, grade, class, count(*) AS watch FROM watchlist WHERE as_of = ? GROUP BY ALL),"
                + " oa AS (SELECT school_code, grade, class, count(*) AS open_alerts FROM alerts WHERE as_of = ? AND resolution = 'open' GROUP BY ALL)"
                + " SELECT sz.*, coalesce(ac.days, 0) AS days, coalesce(ac.absences, 0) AS absences, coalesce(ac.patterns, 0) AS patterns,"
                + "   coalesce(ac.clean_days, 0) AS clean_days, coalesce(w.watch, 0) AS watch, coalesce(oa.open_alerts, 0) AS open_alerts"
                + " FROM sz LEFT JOIN ac USING (school_code, grade, class) LEFT JOIN w USING (school_code, grade, class)"
                + "   LEFT JOIN oa USING (school_code, grade, class) ORDER BY school_code, grade, class",
            asOf, term, asOf, asOf, asOf, asOf)) {
      List<Signal> g = new ArrayList<>();
      counted(g, "watch", Views.n(c, "watch"), r.clazz("watch_each"), r.clazz("watch_cap"), "名单上的学生 %d 人");
      counted(g, "open_alerts", Views.n(c, "open_alerts"), r.clazz("open_alert_each"), r.clazz("open_alert_cap"), "未结预警 %d 条");
      long size = Views.n(c, "size");
      long days = Views.n(c, "days");
      if (days >= r.clazz("min_days")) {
        if (size >= r.clazz("perfect_min_size") && Views.n(c, "absences") == 0) {
          g.add(new Signal("too_good", r.clazz("too_good"), size + " 人的班 " + days + " 个上课日无一人缺勤"));
        } else if (size >= r.clazz("same_min_size") && Views.n(c, "absences") > 0 && Views.n(c, "patterns") == 1 && Views.n(c, "clean_days") == 0) {
          g.add(new Signal("too_good", r.clazz("too_good"), days + " 个上课日每天缺勤的都是同一批人、同一种状态"));
        }
      }
      String school = Views.s(c, "school_code");
      if (g.stream().anyMatch(x -> x.key().equals("too_good"))) {
        tooGood.merge(school, 1L, Long::sum);
      }
      out.add(new Clazz(school, Views.n(c, "grade"), Views.s(c, "class"), size, r.clazz("base") + g.stream().mapToDouble(Signal::points).sum(), List.copyOf(g)));
    }
    return List.copyOf(out);
  }

}
