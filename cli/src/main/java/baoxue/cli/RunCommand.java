package baoxue.cli;

import baoxue.marts.Rules;
import baoxue.pipeline.NightlyRun;
import baoxue.privacy.Pseudonym;
import baoxue.spark.Sessions;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./baoxue run}. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "按日期顺序处理交付目录中尚未处理（或已重新交付）的每个交付：校验 → 暂存 → 核心层 → 截至当日的集市快照，最后刷新分析库 baoxue.duckdb。",
      "需要环境变量 BAOXUE_PSEUDONYM_KEY（学生假名化密钥）。可重复运行：已处理的交付不会重复处理。"
    })
public final class RunCommand implements Callable<Integer> {
  @Option(names = "--landing", required = true, description = "交付目录（每个交付一个 YYYY-MM-DD 文件夹）")
  String landing;

  @Option(names = "--warehouse", required = true, description = "仓库目录")
  String warehouse;

  @Option(names = "--until", description = "只处理这一天及以前的交付（YYYY-MM-DD）")
  LocalDate until;

  @Option(names = "--profile", description = "目标方案（pipelines/rules.yaml 中的名字，如 grade-rate、zero；默认文件中的 default_profile）")
  String profile;

  @Option(names = "--rules", description = "口径参数文件（默认随程序发布的 pipelines/rules.yaml）")
  java.nio.file.Path rulesFile;

  @Option(names = "--through", description = "只做到这一步为止（stage、core、marts、analyst_db；调度器逐步运行时用），之后的步骤留给下一次")
  String through;

  @Override
  public Integer call() throws Exception {
    Pseudonym key = Pseudonym.fromEnvironment();
    return runWith(landing, warehouse, until, key, rules(rulesFile, profile), through);
  }

  static Rules rules(java.nio.file.Path file, String profile) throws java.io.IOException {
    try {
      return (file == null ? Rules.defaults() : Rules.load(file)).withProfile(profile);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
  }

  static int runWith(String landing, String warehouse, LocalDate until, Pseudonym key, Rules rules) throws Exception {
    return runWith(landing, warehouse, until, key, rules, null);
  }

  static int runWith(String landing, String warehouse, LocalDate until, Pseudonym key, Rules rules, String through)
      throws Exception {
    java.util.List<String> ids = baoxue.pipeline.Pipeline.load("nightly").runStepIds();
    if (through != null && !ids.contains(through)) {
      throw new Main.UserError("--through " + through + "：每晚流水线的步骤是 " + String.join("、", ids));
    }
    SparkSession spark = Sessions.getOrCreate("baoxue run");
    System.out.println("目标方案：" + rules.activeProfile + "（" + rules.profile().title + "）");
    NightlyRun.Summary s =
        NightlyRun.run(spark, new NightlyRun.Options(landing, warehouse, until, key, rules, System.out, through));
    System.out.printf(
        "完成：共 %d 个交付，本次处理 %d 个，%d 个无变化跳过；读入 %d 行，隔离 %d 行；用时 %.1f 秒。%n",
        s.deliveries(), s.processed(), s.skipped(), s.rowsRead(), s.rowsQuarantined(), s.seconds());
    System.out.println("仓库：" + warehouse + "（隔离行见 ops/quarantine，导入日志见 ops/ingest_log）");
    return 0;
  }
}
