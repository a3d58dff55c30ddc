package baoxue.cli;

import baoxue.analyst.ActionLists;
import baoxue.marts.Rules;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./baoxue alerts}: the class teachers' daily action list. */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = {
      "生成班主任的每日家访行动清单（每校一份 XLSX 和 CSV）：截至 --date 触发两天规则的学生、逾期未结的预警、",
      "已家访次数与尚缺的工作（第三次家访、校领导家访、流失报告）。清单含学生姓名，只发本校。"
    })
public final class AlertsCommand implements Callable<Integer> {
  @Option(names = "--warehouse", required = true, description = "仓库目录")
  Path warehouse;

  @Option(names = "--date", required = true, description = "截至日期（已处理的交付日 YYYY-MM-DD）")
  LocalDate date;

  @Option(names = "--school", description = "只生成这所学校（学校标识码）")
  String school;

  @Option(names = "--out", required = true, description = "输出目录（清单写在 OUT/<日期>/ 下）")
  Path out;

  @Override
  public Integer call() throws Exception {
    List<ActionLists.SchoolList> lists =
        ActionLists.write(warehouse, date, school, out, Rules.defaults().grace.minHomeVisits);
    if (lists.isEmpty()) {
      System.out.println(date + "：各校都没有需要跟进的预警，未生成清单。");
    }
    for (ActionLists.SchoolList l : lists) {
      System.out.printf("%s %s：%d 条待跟进（其中逾期 %d 条）→ %s%n", l.schoolCode(), l.schoolName(), l.rows(), l.overdue(), l.xlsx());
    }
    System.out.println("注意：" + ActionLists.NOTICE);
    return 0;
  }
}
