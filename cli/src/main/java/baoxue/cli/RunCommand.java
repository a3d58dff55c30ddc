package baoxue.cli;

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
      "按日期顺序处理交付目录中尚未处理（或已重新交付）的每个交付：校验 → 暂存 → 核心层。",
      "需要环境变量 BAOXUE_PSEUDONYM_KEY（学生假名化密钥）。可重复运行：已处理的交付不会重复处理。"
    })
public final class RunCommand implements Callable<Integer> {
  @Option(names = "--landing", required = true, description = "交付目录（每个交付一个 YYYY-MM-DD 文件夹）")
  String landing;

  @Option(names = "--warehouse", required = true, description = "仓库目录")
  String warehouse;

  @Option(names = "--until", description = "只处理这一天及以前的交付（YYYY-MM-DD）")
  LocalDate until;

  @Override
  public Integer call() throws Exception {
    Pseudonym key = Pseudonym.fromEnvironment();
    return runWith(landing, warehouse, until, key);
  }

  static int runWith(String landing, String warehouse, LocalDate until, Pseudonym key) throws Exception {
    SparkSession spark = Sessions.getOrCreate("baoxue run");
    NightlyRun.Summary s =
        NightlyRun.run(spark, new NightlyRun.Options(landing, warehouse, until, key, System.out));
    System.out.printf(
        "完成：共 %d 个交付，本次处理 %d 个，%d 个无变化跳过；读入 %d 行，隔离 %d 行；用时 %.1f 秒。%n",
        s.deliveries(), s.processed(), s.skipped(), s.rowsRead(), s.rowsQuarantined(), s.seconds());
    System.out.println("仓库：" + warehouse + "（隔离行见 ops/quarantine，导入日志见 ops/ingest_log）");
    return 0;
  }
}
