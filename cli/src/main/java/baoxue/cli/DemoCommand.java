package baoxue.cli;

import baoxue.generate.CountyGenerator;
import baoxue.privacy.Pseudonym;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./baoxue demo}: a small county, generated, run, and where everything landed. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {"生成一个小县（6 所学校、约 2 千名学生、2025 年 9–10 月），跑完每晚处理，并打印各输出的位置。",
      "使用固定的演示假名化密钥（不可用于真实数据）。"})
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--dir", defaultValue = "demo-output", description = "输出目录（默认 ${DEFAULT-VALUE}）")
  Path dir;

  @Option(names = "--seed", defaultValue = "20250901", description = "随机种子（默认 ${DEFAULT-VALUE}）")
  long seed;

  @Override
  public Integer call() throws Exception {
    Path landing = dir.resolve("landing");
    Path warehouse = dir.resolve("warehouse");
    System.out.println("== 1/3 生成演示县：" + landing);
    if (!Files.exists(landing)) {
      CountyGenerator.Scale sc = CountyGenerator.Scale.DEMO;
      CountyGenerator g =
          new CountyGenerator(seed, sc.schools(), sc.meanSize(), LocalDate.of(2025, 9, 1), LocalDate.of(2025, 10, 31));
      CountyGenerator.Stats s = g.write(landing, System.out);
      System.out.printf("   %d 所学校，%d 名学生，%d 个交付日，%,d 行考勤。%n", s.schools(), s.students(), s.deliveries(), s.attendanceRows());
    } else {
      System.out.println("   已存在，直接使用（删除该目录可重新生成）。");
    }
    System.out.println("== 2/3 每晚处理（演示使用固定假名化密钥 \"" + Pseudonym.DEMO_KEY + "\"，真实数据必须设置 BAOXUE_PSEUDONYM_KEY）");
    RunCommand.runWith(landing.toString(), warehouse.toString(), null, new Pseudonym(Pseudonym.DEMO_KEY), RunCommand.rules(null, null));
    System.out.println("== 3/3 报表与出版物：" + dir.resolve("reports"));
    Path reports = dir.resolve("reports");
    java.util.List<Path> made = new java.util.ArrayList<>();
    LocalDate last;
    try (baoxue.publications.Views v = baoxue.publications.Views.open(warehouse)) {
      last = (LocalDate) v.one("SELECT max(as_of) AS d FROM indicators").get("d");
    }
    int minVisits = baoxue.marts.Rules.defaults().grace.minHomeVisits;
    for (java.time.YearMonth m = java.time.YearMonth.of(2025, 9); !m.isAfter(java.time.YearMonth.from(last)); m = m.plusMonths(1)) {
      made.addAll(baoxue.publications.Brief.write(warehouse, m, reports, "演示县控辍保学工作领导小组办公室", minVisits));
      for (String level : new String[] {"school", "county"}) {
        made.add(baoxue.analyst.MonthlyReport.write(baoxue.analyst.MonthlyReport.compute(warehouse, m, level), reports));
      }
    }
    made.addAll(baoxue.publications.Cases.write(warehouse, "2025-2026-1", reports, "演示县控辍保学工作领导小组办公室", baoxue.publications.Cases.Selection.defaults()));
    // the action lists name children: they go to an owner-only folder apart from the publications
    Path named = dir.resolve("restricted-outputs");
    Files.createDirectories(named);
    Files.setPosixFilePermissions(named, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    int lists = baoxue.analyst.ActionLists.write(warehouse, last, null, named.resolve("action-lists"), minVisits).size();
    made.forEach(f -> System.out.println("   " + f));
    System.out.println("   家访行动清单（含姓名，只发本校）" + lists + " 份：" + named.resolve("action-lists").resolve(last.toString()));
    System.out.println();
    System.out.println("输出位置：");
    System.out.println("  交付目录（输入）      " + landing);
    System.out.println("  仓库                  " + warehouse);
    System.out.println("    暂存层 staged/      " + warehouse.resolve("staged") + "   每种抽取、每次交付一份 Parquet");
    System.out.println("    核心层 core/        " + warehouse.resolve("core") + "   学校、校历、名册快照、考勤、异动、台账、季查");
    System.out.println("    集市层 marts/       " + warehouse.resolve("marts") + "   截至每个交付日的预警、指标、名单、完整率、风险分");
    System.out.println("  分析库（DuckDB）      " + warehouse.resolve("baoxue.duckdb") + "   视图说明：./baoxue sql --warehouse " + warehouse);
    System.out.println("    第一个问题：./baoxue sql --warehouse " + warehouse + " \"SELECT school_code, grade, base_enrollment, dropouts, attrition_rate, over_target FROM indicators WHERE as_of = (SELECT max(as_of) FROM indicators) AND group_name = 'all' ORDER BY attrition_rate DESC LIMIT 10\"");
    System.out.println("    隔离行 ops/quarantine  " + warehouse.resolve("ops/quarantine") + "   文件、行号、原因");
    System.out.println("    导入日志 ops/ingest_log " + warehouse.resolve("ops/ingest_log"));
    System.out.println("  简报、案例集、月报表  " + reports + "   《控辍保学简报》PDF/HTML、《控辍典型案例集》、月报 XLSX");
    System.out.println("    受限区 restricted/  " + warehouse.resolve("restricted") + "   姓名、证件号、监护人（仅属主可读）");
    return 0;
  }
}
