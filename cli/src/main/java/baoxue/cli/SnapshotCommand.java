package baoxue.cli;

import baoxue.analyst.AnalystDb;
import baoxue.jobs.marts.Snapshots;
import baoxue.pipeline.NightlyRun;
import baoxue.spark.Sessions;
import baoxue.warehouse.RunLock;
import baoxue.warehouse.Txn;
import baoxue.warehouse.Warehouse;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./baoxue snapshot --date D}: the marts as of a date without a delivery. */
@Command(
    name = "snapshot",
    mixinStandardHelpOptions = true,
    description = {
      "计算截至某一天（不是交付日，例如周末、假期）的集市快照：和那天若运行每晚处理会看到的完全一样（只用那天及以前的交付），写入 as_of = 该日，并刷新分析库。",
      "每月最后一天的快照由每晚处理自动计算；这里要的日期以后也会保持最新（之前的交付重新交付、口径参数改变时重算）。日期须在第一个与最后一个已处理交付之间。"
    })
public final class SnapshotCommand implements Callable<Integer> {
  @Option(names = "--warehouse", required = true, description = "仓库目录")
  String warehouse;

  @Option(names = "--date", required = true, description = "快照日期 YYYY-MM-DD")
  LocalDate date;

  @Option(names = "--profile", description = "目标方案（须与每晚处理所用的一致；默认 pipelines/rules.yaml 中的 default_profile）")
  String profile;

  @Option(names = "--rules", description = "口径参数文件（默认随程序发布的 pipelines/rules.yaml）")
  java.nio.file.Path rulesFile;

  @Override
  public Integer call() throws Exception {
    var rules = RunCommand.rules(rulesFile, profile);
    SparkSession spark = Sessions.getOrCreate("baoxue snapshot");
    Warehouse wh = new Warehouse(warehouse, spark.sparkContext().hadoopConfiguration());
    if (!wh.exists("_state/deliveries")) {
      throw new Main.UserError(warehouse + " 不是已处理过交付的 baoxue 仓库：先运行 ./baoxue run。");
    }
    try (RunLock lock = NightlyRun.lockFor(wh, "snapshot")) {
      for (String msg : Txn.recover(wh)) {
        System.out.println("恢复：" + msg);
      }
      boolean computed;
      try {
        computed = Snapshots.request(spark, wh, rules, date, System.out);
      } catch (IllegalArgumentException e) {
        throw new Main.UserError(e.getMessage());
      }
      if (computed || !wh.exists(AnalystDb.FILE)) {
        new AnalystDb().run(spark, wh, System.out);
      }
      System.out.println("分析库里查询 WHERE as_of = DATE '" + date + "'（./baoxue sql --warehouse " + warehouse + "）。");
    }
    return 0;
  }
}
