package baoxue.cli;

import baoxue.analyst.MonthlyReport;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./baoxue monthly-report}. */
@Command(
    name = "monthly-report",
    mixinStandardHelpOptions = true,
    description = {
      "生成控辍保学月报表（XLSX，中文表头）：月初/月末在籍、转入、转出、新增辍学、劝返复学、新增预警、家访次数、逾期未结，",
      "以及报送期限（学校 23 日、乡镇 25 日）和是否按时。数据取自分析库中该月最后一个快照，不含学生个人信息。"
    })
public final class MonthlyReportCommand implements Callable<Integer> {
  @Option(names = "--warehouse", required = true, description = "仓库目录")
  Path warehouse;

  @Option(names = "--month", required = true, description = "月份 YYYY-MM")
  YearMonth month;

  @Option(names = "--level", defaultValue = "school", description = "school（各校）、township（各乡镇）或 county（全县）；默认 ${DEFAULT-VALUE}")
  String level;

  @Option(names = "--out", required = true, description = "输出目录")
  Path out;

  @Override
  public Integer call() throws Exception {
    MonthlyReport.Form f;
    try {
      f = MonthlyReport.compute(warehouse, month, level);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
    Path x = MonthlyReport.write(f, out);
    System.out.printf("%s 月报（%s，%d 行，数据截至 %s）→ %s%n", month, level, f.rows().size(), f.asOf(), x);
    return 0;
  }
}
