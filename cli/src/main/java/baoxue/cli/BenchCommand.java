package baoxue.cli;

import baoxue.generate.CountyGenerator;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./baoxue bench}: the benchmark suite (docs/performance.md). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "性能测试：用生成器按固定种子生成规范格式的数据（生成一次后缓存），",
      "补跑一个学期（除最后一天外的全部交付），再把最后一天的交付作为“每晚增量”跑 --runs 次（每次从同一份补跑结果开始、每次新起 JVM），",
      "计时出版物、十个分析问题和同一批 CSV 上的纯 DuckDB 基线；结果写成 JSON 与 Markdown 表。"
    })
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--scale", defaultValue = "county", description = "规模：demo、county（约 5 万学生）、prefecture、province；默认 ${DEFAULT-VALUE}")
  String scale;

  @Option(names = "--days", description = "交付日数（上课日；默认 demo/county 20，prefecture 10，province 3）")
  Integer days;

  @Option(names = "--runs", defaultValue = "3", description = "每晚增量、出版物、基线各测几次（报告中位数与最小/最大）；默认 ${DEFAULT-VALUE}")
  int runs;

  @Option(names = "--seed", defaultValue = "7", description = "生成器种子；默认 ${DEFAULT-VALUE}")
  long seed;

  @Option(names = "--start", defaultValue = "2025-09-01", description = "第一个交付日；默认 ${DEFAULT-VALUE}")
  LocalDate start;

  @Option(names = "--work", defaultValue = "target/bench", description = "数据与仓库的缓存目录；默认 ${DEFAULT-VALUE}")
  Path work;

  @Option(names = "--out", description = "结果 JSON（同名 .md 为 Markdown 表）；默认 <work>/results-<规模>.json")
  Path out;

  @Option(names = "--reuse-backfill", description = "已有同一份数据的补跑结果时直接用，不再计时补跑")
  boolean reuseBackfill;

  @Option(names = "--nights", description = "最后一天之前的交付逐晚跑（每晚新起 JVM、接着上一晚的仓库），而不是一次补跑；报告每晚的时间、作业数、峰值 RSS，并比较最后一晚与第 5 晚")
  boolean nights;

  @Option(names = "--child-heap", defaultValue = "8g", description = "每个子进程（每晚作业、出版物）的 -Xmx；默认 ${DEFAULT-VALUE}")
  String childHeap;

  @Override
  public Integer call() throws Exception {
    CountyGenerator.Scale sc = CountyGenerator.Scale.of(scale);
    int n = days != null ? days : switch (sc) {
      case DEMO, COUNTY -> 20;
      case PREFECTURE -> 10;
      case PROVINCE -> 3;
    };
    if (n < 2) {
      throw new Main.UserError("--days 至少为 2（补跑 1 天，增量 1 天）");
    }
    Path o = out != null ? out : work.resolve("results-" + sc.name().toLowerCase(java.util.Locale.ROOT) + ".json");
    Bench b = new Bench(sc, n, runs, seed, start, work, o, reuseBackfill, nights, childHeap, Path.of(System.getenv().getOrDefault("BAOXUE_HOME", ".")), System.out);
    b.run();
    return 0;
  }
}
