package baoxue.cli;

import baoxue.marts.Rules;
import baoxue.publications.Brief;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./baoxue brief}: the monthly 《控辍保学简报》. */
@Command(
    name = "brief",
    mixinStandardHelpOptions = true,
    description = {
      "生成某月的《控辍保学简报》（A4 PDF，字体内嵌，有期号和页码；另有内容相同的单文件 HTML）：",
      "总体指标及与上月比较、图表、超标学校及原因、各校逾期预警（只有数量）、数据完整率与月报及时性，3 月和 9 月有“控辍月”专项。",
      "所有数字取自分析库 baoxue.duckdb 中该月最后一个快照；重新生成过去的月份得到相同的内容。"
    })
public final class BriefCommand implements Callable<Integer> {
  @Option(names = "--warehouse", required = true, description = "仓库目录")
  Path warehouse;

  @Option(names = "--month", required = true, description = "月份 YYYY-MM")
  YearMonth month;

  @Option(names = "--out", required = true, description = "输出目录")
  Path out;

  @Option(names = "--issuer", defaultValue = "县控辍保学工作领导小组办公室", description = "编发单位（印在期号前）；默认 ${DEFAULT-VALUE}")
  String issuer;

  @Override
  public Integer call() throws Exception {
    List<Path> files;
    try {
      files = Brief.write(warehouse, month, out, issuer, Rules.defaults().grace.minHomeVisits);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
    System.out.println(month + " 《控辍保学简报》第 " + Brief.issueNumber(month) + " 期：");
    files.forEach(f -> System.out.println("  " + f));
    return 0;
  }
}
