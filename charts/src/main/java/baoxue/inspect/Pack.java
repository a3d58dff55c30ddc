package baoxue.inspect;

import baoxue.publications.AtomicFile;
import baoxue.publications.Doc;
import baoxue.publications.Masking;
import baoxue.publications.PdfOut;
import baoxue.publications.Views;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The inspection pack of each drawn school (PDF, restricted: it names children, because
 * inspectors count heads): why the school was drawn, the drawn classes' registers as the system
 * holds them, the watchlist and open alerts with their visits, the person–record checklist (003
 * §六7) and the 18 archive items (003 §七); and a CSV template of the findings, in the
 * {@code inspections} extract's columns, to fill in and deliver.
 */
public final class Pack {
  public static final String NOTICE = "本材料含学生姓名，仅供督导检查组现场核对使用，不得复印、拍照外传，检查结束后收回。";

  /** 控辍保学"18 项"档案（003 §七）。 */
  static final List<String> ARCHIVE = List.of(
      "省、市、县控辍保学文件",
      "本单位控辍保学文件、实施方案、宣传资料和考评细则",
      "包保分工及责任书材料",
      "各项制度建立材料",
      "学生统计报表（含留守、残疾、随迁子女等）；各学段学生学年初登记统计表、学年末登记统计表",
      "流生情况日查、周报、月报表",
      "学生的作业、点名册、坐次表、学籍表一致性材料",
      "督导核查材料",
      "建档立卡贫困生资助“一家一案”材料",
      "学习困难学生帮辅“一生一案”材料",
      "残疾儿童“送教上门”材料",
      "学生变动情况及学籍调整材料",
      "寒、暑两假控辍预案材料",
      "学校与乡镇党委政府、司法所、行政村、学生家长联防联控材料",
      "控辍保学的经验、总结、调研论文材料",
      "控辍保学会议记录（校委会、班会、家长会、队会、教师会等）材料",
      "控辍保学兑现奖惩材料",
      "《控辍简报》和《控辍典型案例集》");

  static final String[] FINDINGS_HEADER = {"检查编号", "检查日期", "学校标识码", "年级", "班级", "在册人数", "实到人数", "请假人数", "未见学籍号", "检查人", "发现问题"};

  private Pack() {}

  /** Writes one PDF and one findings template per drawn school into {@code out/<quarter>/<date>/}. */
  public static List<Path> write(Path wh, Draw.Result r, Path out) throws Exception {
    Path dir = out.resolve(r.quarter().id()).resolve(r.date().toString());
    Files.createDirectories(dir);
    try { // the packs name children: owner-only, like the warehouse's restricted zone
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
    List<Path> files = new ArrayList<>();
    try (Views v = Views.open(wh)) {
      for (Draw.DrawnSchool s : r.drawn()) {
        String base = s.code() + "_" + s.name();
        files.add(PdfOut.write(document(v, wh, r, s), dir.resolve(base + "_季查检查材料.pdf")));
        files.add(template(r, s, dir.resolve("inspections_" + r.quarter().id() + "_" + s.code() + ".csv")));
      }
    }
    return files;
  }

  static Doc document(Views v, Path wh, Draw.Result r, Draw.DrawnSchool s) throws Exception {
    Doc doc = new Doc("季查检查材料", s.name() + "（" + s.code() + "）　" + r.quarter().cn() + "　抽签日 " + r.date() + "　数据截至 " + r.asOf(),
        "季查检查材料 · " + s.name() + " · 含学生姓名，仅供检查组使用");
    doc.note(NOTICE);
    doc.h1("一、为什么抽到这所学校");
    doc.para(String.format(Locale.ROOT, "本校在 %d 所学校的风险框架中权重 %.1f（基础分 1，另加下列信号得分），本次抽 %d 所学校，本校被抽中的概率约为 %.0f%%。抽签用季度开始时承诺的种子（sha256:%s…），风险框架摘要 %s…，可在季度结束后用公布的种子核对。",
        r.frame().schools().size(), s.weight(), r.schools(), s.probability() * 100, r.commitment().substring(0, 16), r.frameDigest().substring(0, 16)));
    List<List<String>> sig = new ArrayList<>();
    s.signals().forEach(g -> sig.add(List.of(g.why(), String.format(Locale.ROOT, "%.1f", g.points()))));
    if (sig.isEmpty()) {
      doc.para("本校没有风险信号：这是按基础分抽中的（每所学校都有被抽到的机会）。");
    } else {
      doc.table(List.of("风险信号", "得分"), sig, 6, 1);
    }
    String people = restricted(wh, "staged_students");
    doc.h1("二、抽中班级的花名册（系统在册）");
    for (Draw.DrawnClass c : s.classes()) {
      doc.h2(c.grade() + " 年级 " + c.clazz() + " 班（系统在读 " + c.size() + " 人）"
          + (c.signals().isEmpty() ? "" : "：" + String.join("；", c.signals().stream().map(RiskFrame.Signal::why).toList())));
      List<List<String>> rows = new ArrayList<>();
      int i = 0;
      for (Map<String, Object> p :
          v.rows(
              "WITH snap AS (SELECT max(snapshot_date) AS sd FROM fact_roster WHERE school_code = ? AND snapshot_date <= ?),"
                  + " n AS (SELECT student_key, arg_max(name, delivery_date) AS name, arg_max(id_number, delivery_date) AS id_number,"
                  + "   arg_max(student_no, delivery_date) AS student_no FROM " + people + " WHERE delivery_date <= ? GROUP BY 1),"
                  + " a AS (SELECT student_key, status_cn FROM fact_attendance WHERE school_code = ? AND date = ? AND delivery_date <= ?),"
                  + " w AS (SELECT student_key, string_agg(kind_cn, '、' ORDER BY kind_cn) AS kinds FROM watchlist WHERE as_of = ? GROUP BY 1)"
                  + " SELECT n.name, n.id_number, n.student_no, r.status_cn, coalesce(a.status_cn, '未报') AS att, w.kinds, d.gender_cn"
                  + " FROM fact_roster r JOIN snap ON r.snapshot_date = snap.sd LEFT JOIN n USING (student_key) LEFT JOIN a USING (student_key)"
                  + "   LEFT JOIN w USING (student_key) LEFT JOIN dim_student d USING (student_key)"
                  + " WHERE r.school_code = ? AND r.grade = ? AND r.class = ? ORDER BY r.status = 'enrolled' DESC, n.student_no",
              s.code(), r.asOf(), r.asOf(), s.code(), r.asOf(), r.asOf(), r.asOf(), s.code(), c.grade(), c.clazz())) {
        i++;
        rows.add(List.of(String.valueOf(i), str(p.get("name")), str(p.get("gender_cn")), Masking.idNumber(str(p.get("id_number"))),
            str(p.get("status_cn")), str(p.get("att")), str(p.get("kinds")), "□到 □假 □未见"));
      }
      doc.note("考勤为系统里 " + r.asOf() + " 的记录（“未报”表示学校当天没有报这名学生）；“现场”由检查组勾选。");
      doc.table(List.of("序号", "姓名", "性别", "身份证件号", "学籍状态", "考勤", "名单", "现场"), rows, 0.6f, 1.2f, 0.7f, 2.6f, 1.2f, 1, 2, 2.2f);
      doc.table(List.of("人籍一致核查（003 §六7）", "系统", "现场", "一致"),
          List.of(
              List.of("在册人数", String.valueOf(c.size()), "", "□ 是 □ 否"),
              List.of("实到人数 / 请假人数", "", "", ""),
              List.of("点名册与花名册一致", "", "", "□ 是 □ 否"),
              List.of("坐次表与实到学生一致", "", "", "□ 是 □ 否"),
              List.of("作业本与在册学生一致", "", "", "□ 是 □ 否"),
              List.of("学籍表与在册学生一致", "", "", "□ 是 □ 否")),
          4, 1, 1, 1.4f);
    }
    doc.h1("三、全校名单上的学生");
    List<List<String>> watch = new ArrayList<>();
    for (Map<String, Object> p :
        v.rows(
            "WITH " + names(people) + " SELECT n.name, w.grade, w.class, w.kind_cn, w.reason, w.since FROM watchlist w LEFT JOIN n USING (student_key)"
                + " WHERE w.as_of = ? AND w.school_code = ? ORDER BY w.kind, w.grade, w.class, n.name",
            r.asOf(), r.asOf(), s.code())) {
      watch.add(List.of(str(p.get("name")), p.get("grade") + " 年级 " + str(p.get("class")) + " 班", str(p.get("kind_cn")), str(p.get("reason")), str(p.get("since"))));
    }
    if (watch.isEmpty()) {
      doc.para("截至 " + r.asOf() + "，本校没有学生在疑似辍学、空挂学籍疑似或长期缺勤名单上。");
    } else {
      doc.table(List.of("姓名", "班级", "类别", "原因", "起始"), watch, 1.2f, 1.4f, 1.3f, 5, 1.3f);
    }
    doc.h1("四、未结的两天规则预警");
    List<List<String>> open = new ArrayList<>();
    for (Map<String, Object> p :
        v.rows(
            "WITH " + names(people) + " SELECT n.name, a.grade, a.class, a.streak_start, a.due_on, a.streak_days, a.home_visits, a.leader_visit, a.report_filed, a.overdue"
                + " FROM alerts a LEFT JOIN n USING (student_key) WHERE a.as_of = ? AND a.school_code = ? AND a.resolution = 'open'"
                + " ORDER BY a.overdue DESC, a.due_on, n.name",
            r.asOf(), r.asOf(), s.code())) {
      open.add(List.of(str(p.get("name")), p.get("grade") + " 年级 " + str(p.get("class")) + " 班", str(p.get("streak_start")), str(p.get("due_on")),
          str(p.get("streak_days")), str(p.get("home_visits")), Boolean.TRUE.equals(p.get("leader_visit")) ? "有" : "无",
          Boolean.TRUE.equals(p.get("report_filed")) ? "已报" : "未报", Boolean.TRUE.equals(p.get("overdue")) ? "逾期" : "未到期"));
    }
    if (open.isEmpty()) {
      doc.para("截至 " + r.asOf() + "，本校没有未结的预警。");
    } else {
      doc.table(List.of("姓名", "班级", "旷课起始", "期限", "连续天数", "已家访", "校领导家访", "流失报告", "状态"), open, 1.2f, 1.4f, 1.4f, 1.4f, 1, 1, 1.1f, 1, 1);
    }
    doc.h1("五、控辍保学“18 项”档案核查（003 §七）");
    List<List<String>> arch = new ArrayList<>();
    for (int i = 0; i < ARCHIVE.size(); i++) {
      arch.add(List.of(String.valueOf(i + 1), ARCHIVE.get(i), "□ 有　□ 无", ""));
    }
    doc.table(List.of("序号", "档案", "核查", "备注"), arch, 0.6f, 6, 1.5f, 1.8f);
    doc.h1("六、检查记录怎么交");
    doc.para("把每个抽中班级的在册人数、实到人数、请假人数和点名未见学生的全国学籍号（多个用分号隔开）填进随本材料生成的检查记录 "
        + "inspections_" + r.quarter().id() + "_" + s.code() + ".csv，填上检查人和发现的问题，放进当天的交付目录随交付入库："
        + "未见的学生会成为“空挂学籍疑似”，本校的差异率进入下季度的风险框架、简报和分析库视图 inspection_findings。");
    return doc;
  }

  static Path template(Draw.Result r, Draw.DrawnSchool s, Path file) throws Exception {
    StringBuilder b = new StringBuilder("\uFEFF").append(String.join(",", FINDINGS_HEADER)).append("\r\n");
    for (Draw.DrawnClass c : s.classes()) {
      // the class label is school-supplied text: neutralised like every cell the project writes
      String clazz = baoxue.analyst.SqlRunner.csvCell(baoxue.analyst.CellSafety.neutralise(c.clazz()));
      String id = "JC" + r.quarter().id() + "-" + s.code() + "-" + c.grade() + "-" + c.clazz();
      b.append(baoxue.analyst.SqlRunner.csvCell(id)).append(',')
          .append(r.date()).append(',').append(s.code()).append(',').append(c.grade()).append(',').append(clazz).append(",,,,,,\r\n");
    }
    return AtomicFile.writeString(file, b.toString());
  }

  /** The CTE {@code n}: each student's latest name delivered on or before the date bound to its one parameter. */
  private static String names(String people) {
    return "n AS (SELECT student_key, arg_max(name, delivery_date) AS name FROM " + people + " WHERE delivery_date <= ? GROUP BY 1)";
  }

  private static String restricted(Path wh, String table) {
    return "read_parquet('" + wh.resolve("restricted").resolve(table).toString().replace("'", "''") + "/*/*.parquet', hive_partitioning = true)";
  }

  private static String str(Object o) {
    return o == null ? "" : o.toString();
  }
}
