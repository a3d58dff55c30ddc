package baoxue.cli;

import baoxue.analyst.AnalystDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./baoxue analyst-db}: rebuilds the analysts' DuckDB over a warehouse on the local file system. */
@Command(
    name = "analyst-db",
    mixinStandardHelpOptions = true,
    description = {
      "在本地文件系统上的仓库（或从 HDFS/S3 同步下来的 marts、core、ops 副本）上原子重建分析库 baoxue.duckdb。",
      "每晚处理本身会做这一步；仓库在 HDFS 或 S3 上时，在分析服务器上对同步的副本运行它（见 docs/deploy.md）。不需要 Spark。"
    })
public final class AnalystDbCommand implements Callable<Integer> {
  @Option(names = "--warehouse", required = true, description = "仓库目录（本地）")
  Path warehouse;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(warehouse.resolve("marts"))) {
      throw new Main.UserError(warehouse + " 下没有 marts/：不是 baoxue 仓库或副本。");
    }
    long t = System.nanoTime();
    Path db = AnalystDb.rebuild(warehouse.toAbsolutePath());
    System.out.printf("分析库已更新：%s（%.1f 秒）%n", db, (System.nanoTime() - t) / 1e9);
    return 0;
  }
}
