package baoxue.publications;

import static baoxue.publications.Views.n;
import static baoxue.publications.Views.s;

import baoxue.charts.Charts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-semester 《控辍典型案例集》 ({@code ./baoxue cases}): for the term's two-day-rule alerts, as
 * of the term's last snapshot, the typical cases of three kinds (see {@link Kind}), each told from
 * the warehouse — who (masked name, school, grade, groups), what happened (absence, alert,
 * deadline), the reason category, the measures taken (the 情况说明 texts of the 控辍台账, cleaned
 * by {@link Masking#text}), a time line chart and the outcome. Names come from the restricted zone
 * and leave it only masked; no ID or student number is printed.
 */
public final class Cases {
  private Cases() {}

  /** The kinds of typical case, in the order of the collection. */
  public enum Kind {
    RETURNED("家访劝返后返校", "预警以“已返校”结案且至少家访过一次",
        "resolution = 'returned' AND home_visits >= 1", "home_visits DESC, streak_days DESC"),
    DROPOUT("程序完整的辍学确认", "预警以“辍学”结案，家访次数、校领导家访和 15 天内流失报告齐全（compliant）",
        "resolution = 'dropout' AND compliant", "streak_days DESC, home_visits DESC"),
    OVERDUE("逾期未结或程序不完整", "预警超过 15 天期限仍未结案，或以“辍学”结案但程序不完整",
        "(resolution = 'open' AND overdue) OR (resolution = 'dropout' AND NOT compliant)", "streak_days DESC, home_visits ASC");

    public final String title;
    public final String rule;
    final String where;
    final String order;

    Kind(String title, String rule, String where, String order) {
      this.title = title;
      this.rule = rule;
      this.where = where;
      this.order = order;
    }
  }

  /** The selection: which kinds, and at most how many cases of each (the most telling first). */
  public record Selection(List<Kind> kinds, int perKind, int minVisits) {
    public static Selection defaults() {
      return new Selection(List.of(Kind.values()), 5, 3);
    }
  }

  /** A school term: {@code 2025-2026-1} (autumn, 9/1–1/31) or {@code 2025-2026-2} (spring, 2/1–8/31). */
  public record Term(String id, int startYear, int number, LocalDate first, LocalDate last) {
    private static final Pattern ID = Pattern.compile("(\\d{4})-(\\d{4})-([12])");

    public static Term parse(String id) {
      Matcher m = ID.matcher(id == null ? "" : id.strip());
      if (!m.matches() || Integer.parseInt(m.group(2)) != Integer.parseInt(m.group(1)) + 1) {
        throw new IllegalArgumentException("学期写作 学年-学期，如 2025-2026-1（秋季学期）或 2025-2026-2（春季学期），而不是 “" + id + "”。");
      }
      int y = Integer.parseInt(m.group(1));
      int n = Integer.parseInt(m.group(3));
      return n == 1
          ? new Term(id.strip(), y, 1, LocalDate.of(y, 9, 1), LocalDate.of(y + 1, 1, 31))
          : new Term(id.strip(), y, 2, LocalDate.of(y + 1, 2, 1), LocalDate.of(y + 1, 8, 31));
    }

    /** The term a date falls in (the same boundaries as the marts' {@code Cohort.termStart}: 9/1 and 2/1). */
    public static Term of(LocalDate d) {
      int y = d.getMonthValue() >= 9 ? d.getYear() : d.getYear() - 1;
      return parse(y + "-" + (y + 1) + "-" + (d.getMonthValue() >= 9 || d.getMonthValue() == 1 ? 1 : 2));
    }

    public String cn() {
      return startYear + "—" + (startYear + 1) + " 学年" + (number == 1 ? "第一学期（秋季）" : "第二学期（春季）");
    }
  }

  /** One typical case, everything it prints. */
  public record Case(
      Kind kind, String masked, String school, long grade, String clazz, String gender, List<String> groups,
      LocalDate streakStart, LocalDate openedOn, LocalDate dueOn, LocalDate closedOn, long streakDays, String resolution,
      long visits, boolean leaderVisit, LocalDate reportOn, String reason, List<String> measures, String outcome,
      List<Charts.CaseDay> days, List<Charts.CaseEvent> events) {}

  /** The collection's content. */
  public record Collection(Term term, LocalDate asOf, Map<Kind, Long> candidates, List<Case> cases, Selection selection) {}

  public static Collection collect(Path warehouse, Term term, Selection sel) throws Exception {
    try (Views v = Views.open(warehouse)) {
      LocalDate asOf = (LocalDate) v.one("SELECT max(as_of) AS a FROM alerts WHERE as_of BETWEEN ? AND ?", term.first(), term.last()).get("a");
      if (asOf == null) {
        asOf = (LocalDate) v.one("SELECT max(as_of) AS a FROM indicators WHERE as_of BETWEEN ? AND ?", term.first(), term.last()).get("a");
      }
      if (asOf == null) {
        throw new IllegalArgumentException("分析库里没有 " + term.id() + "（" + term.first() + " 至 " + term.last() + "）的快照。");
      }
      Path restricted = warehouse.resolve("restricted");
      Map<Kind, Long> candidates = new LinkedHashMap<>();
      List<Case> cases = new ArrayList<>();
      for (Kind k : sel.kinds()) {
        String from = " FROM alerts WHERE as_of = ? AND streak_start BETWEEN ? AND ? AND (" + k.where + ")";
        candidates.put(k, n(v.one("SELECT count(*) AS n" + from, asOf, term.first(), term.last()), "n"));
        for (Map<String, Object> a :
            v.rows("SELECT *" + from + " ORDER BY " + k.order + ", streak_start, student_key LIMIT " + sel.perKind(), asOf, term.first(), term.last())) {
          cases.add(one(v, restricted, k, a, asOf, sel.minVisits()));
        }
      }
      return new Collection(term, asOf, candidates, cases, sel);
    }
  }

  private static Case one(Views v, Path restricted, Kind k, Map<String, Object> a, LocalDate asOf, int minVisits) throws Exception {
    String key = s(a, "student_key");
    String school = s(a, "school_code");
    Map<String, Object> who =
        v.one(
            "SELECT arg_max(name, delivery_date) AS name, arg_max(guardian_name, delivery_date) AS guardian"
                + " FROM read_parquet(?, hive_partitioning = true) WHERE student_key = ? AND delivery_date <= ?",
            restricted.resolve("staged_students") + "/*/*.parquet", key, asOf);
    Map<String, Object> sch = v.one("SELECT school_name FROM dim_school WHERE school_code = ?", school);
    Map<String, Object> r =
        v.one(
            "SELECT poverty, disabled, disabled_parent, left_behind, migrant FROM fact_roster"
                + " WHERE student_key = ? AND snapshot_date <= ? ORDER BY snapshot_date DESC LIMIT 1",
            key, asOf);
    Map<String, Object> g = v.one("SELECT gender_cn FROM dim_student WHERE student_key = ?", key);
    List<String> groups = new ArrayList<>();
    String[][] flags = {{"poverty", "困难家庭"}, {"disabled", "残疾儿童"}, {"disabled_parent", "残疾人子女"}, {"left_behind", "留守儿童"}, {"migrant", "随迁子女"}};
    for (String[] f : flags) {
      if (Boolean.TRUE.equals(r.get(f[0]))) {
        groups.add(f[1]);
      }
    }
    LocalDate start = (LocalDate) a.get("streak_start");
    LocalDate closed = (LocalDate) a.get("closed_on");
    LocalDate from = start.minusDays(7);
    LocalDate to = (closed == null ? asOf : closed.plusDays(7));
    if (to.isAfter(asOf)) {
      to = asOf;
    }
    List<Charts.CaseDay> days = new ArrayList<>();
    for (Map<String, Object> d :
        v.rows(
            "WITH s AS (SELECT DISTINCT date FROM fact_attendance WHERE school_code = ? AND date BETWEEN ? AND ? AND delivery_date <= ?)"
                + " SELECT s.date, f.status_cn FROM s LEFT JOIN fact_attendance f ON f.date = s.date AND f.student_key = ? AND f.delivery_date <= ?"
                + " ORDER BY s.date",
            school, from, to, asOf, key, asOf)) {
      days.add(new Charts.CaseDay((LocalDate) d.get("date"), s(d, "status_cn")));
    }
    List<Charts.CaseEvent> events = new ArrayList<>();
    List<String> measures = new ArrayList<>();
    List<String> names = new ArrayList<>();
    names.add(s(who, "name"));
    names.add(s(who, "guardian"));
    String reason = null;
    for (Map<String, Object> e :
        v.rows(
            "WITH n AS (SELECT record_id, arg_max(narrative, delivery_date) AS narrative FROM read_parquet(?, hive_partitioning = true)"
                + "   WHERE delivery_date <= ? GROUP BY 1)"
                + " SELECT i.record_id, i.date, i.type_cn, i.result_cn, i.reason_category_cn, n.narrative FROM fact_interventions i LEFT JOIN n USING (record_id)"
                + " WHERE i.student_key = ? AND i.date BETWEEN ? AND ? AND i.delivery_date <= ? ORDER BY i.date, i.record_id",
            restricted.resolve("staged_interventions") + "/*/*.parquet", asOf, key, from, to, asOf)) {
      LocalDate d = (LocalDate) e.get("date");
      events.add(new Charts.CaseEvent(d, s(e, "type_cn")));
      String text = Masking.text(s(e, "narrative"), names).strip().replace(',', '，').replace(';', '；').replaceAll("[。；，\\s]+$", "");
      measures.add(
          md(d) + " " + s(e, "type_cn") + (e.get("result_cn") == null ? "" : "（" + s(e, "result_cn") + "）") + (text.isEmpty() ? "" : "：" + text));
      if (e.get("reason_category_cn") != null) {
        reason = s(e, "reason_category_cn");
      }
    }
    LocalDate due = (LocalDate) a.get("due_on");
    LocalDate reportOn = (LocalDate) a.get("report_on");
    long visits = n(a, "home_visits");
    boolean leader = Boolean.TRUE.equals(a.get("leader_visit"));
    String resolution = s(a, "resolution");
    String outcome;
    if ("returned".equals(resolution)) {
      outcome = md(closed) + " 返校上课，预警结案。从连续旷课开始到返校共 " + (closed.toEpochDay() - start.toEpochDay()) + " 天，期间家访 " + visits + " 次。";
    } else if ("dropout".equals(resolution)) {
      outcome = md(closed) + " 按辍学结案：家访 " + visits + " 次" + (leader ? "，有校领导家访" : "，没有校领导家访")
          + (reportOn == null ? "，没有流失报告" : "，" + md(reportOn) + " 报送流失报告（期限 " + md(due) + "）")
          + (Boolean.TRUE.equals(a.get("compliant")) ? "，程序完整。" : "，程序不完整。")
          + "该生仍在控辍名单上，须继续劝返。";
    } else {
      List<String> missing = new ArrayList<>();
      if (visits < minVisits) {
        missing.add("家访还差 " + (minVisits - visits) + " 次");
      }
      if (!leader) {
        missing.add("没有校领导家访");
      }
      if (reportOn == null) {
        missing.add("没有流失报告");
      }
      outcome = "截至 " + md(asOf) + " 未结案，已超过 " + md(due) + " 的期限 " + (asOf.toEpochDay() - due.toEpochDay()) + " 天；已家访 " + visits + " 次"
          + (missing.isEmpty() ? "" : "，" + String.join("，", missing)) + "。须立即补齐手续并继续劝返。";
    }
    return new Case(
        k, Masking.name(s(who, "name")), sch.isEmpty() ? school : s(sch, "school_name"), n(a, "grade"), s(a, "class"), s(g, "gender_cn"), groups,
        start, (LocalDate) a.get("opened_on"), due, closed, n(a, "streak_days"), resolution, visits, leader, reportOn,
        reason == null ? "未登记" : reason, measures, outcome, days, events);
  }

  /** The collection as a document. */
  public static Doc document(Collection c, String issuer) {
    Doc doc = new Doc("控辍典型案例集", issuer + "　" + c.term().cn() + "　数据截至 " + Brief.date(c.asOf()), "《控辍典型案例集》" + c.term().cn());
    doc.h1("编选说明");
    doc.para(
        "本案例集从 " + c.term().cn() + "（" + Brief.date(c.term().first()) + " 至 " + Brief.date(c.term().last()) + "）触发“两天规则”预警的学生中，按截至 "
            + Brief.date(c.asOf()) + " 的数据，选出三类典型案例，每类最多 " + c.selection().perKind() + " 个：家访次数多、旷课时间长的优先。学生姓名已打码，不含证件号和学籍号；"
            + "“采取的措施”摘自各校控辍台账的情况说明，其中的姓名和电话也已打码。");
    List<List<String>> rows = new ArrayList<>();
    for (Kind k : c.selection().kinds()) {
      long chosen = c.cases().stream().filter(x -> x.kind() == k).count();
      rows.add(List.of(k.title, k.rule, String.valueOf(c.candidates().getOrDefault(k, 0L)), String.valueOf(chosen)));
    }
    doc.table(List.of("类别", "入选条件", "本学期符合", "收录"), rows, 2.2f, 5, 1.3f, 1);
    int i = 0;
    for (Kind k : c.selection().kinds()) {
      List<Case> of = c.cases().stream().filter(x -> x.kind() == k).toList();
      doc.h1(Brief.cn(k.ordinal() + 1) + "、" + k.title);
      if (of.isEmpty()) {
        doc.para("本学期没有符合条件的案例。");
      }
      for (Case x : of) {
        i++;
        doc.h2("案例 " + i + "　" + x.school() + Brief.gradeCn(x.grade()) + " " + x.masked() + (x.groups().isEmpty() ? "" : "（" + String.join("、", x.groups()) + "）"));
        doc.para(
            "基本情况：" + x.masked() + "，" + (x.gender() == null ? "" : x.gender() + "，") + x.school() + Brief.gradeCn(x.grade()) + (x.clazz() == null ? "" : x.clazz() + "班")
                + "学生" + (x.groups().isEmpty() ? "" : "，" + String.join("、", x.groups())) + "。自 " + md(x.streakStart()) + " 起连续旷课"
                + ("open".equals(x.resolution()) ? "，截至 " + md(c.asOf()) + " 已 " + x.streakDays() + " 个上课日" : " " + x.streakDays() + " 个上课日")
                + "，" + md(x.openedOn()) + " 触发两天规则预警，应在 " + md(x.dueOn()) + " 前完成家访和处置。辍学原因分类：" + x.reason() + "。");
        doc.para("采取的措施：" + (x.measures().isEmpty() ? "台账中没有登记。" : String.join("；", x.measures()) + "。"));
        doc.figure(
            Charts.timeline(x.masked() + " 的时间线", x.days(), x.events(), x.openedOn(), x.dueOn(), "returned".equals(x.resolution()) ? x.closedOn() : null),
            "图 " + i + "　" + x.masked() + "：考勤、工作记录与期限", 480, 270);
        doc.para("结果：" + x.outcome());
      }
    }
    doc.note("说明：本案例集由 baoxue 根据分析库 baoxue.duckdb（alerts、fact_attendance、fact_interventions、fact_roster）和受限区的台账情况说明自动生成；选取规则见 docs/publications.md。");
    return doc;
  }

  /** Writes 控辍典型案例集_<term>.pdf and .html; returns both paths. */
  public static List<Path> write(Path warehouse, String term, Path out, String issuer, Selection sel) throws Exception {
    Collection c = collect(warehouse, Term.parse(term), sel);
    Doc doc = document(c, issuer);
    Files.createDirectories(out);
    String base = "控辍典型案例集_" + c.term().id();
    return List.of(PdfOut.write(doc, out.resolve(base + ".pdf")), HtmlOut.write(doc, out.resolve(base + ".html")));
  }

  static String md(LocalDate d) {
    return d == null ? "" : d.getMonthValue() + " 月 " + d.getDayOfMonth() + " 日";
  }
}
