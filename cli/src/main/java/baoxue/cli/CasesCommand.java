package baoxue.cli;

import baoxue.marts.Rules;
import baoxue.publications.Cases;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./baoxue cases}: the per-semester 《控辍典型案例集》. */
@Command(
    name = "cases",
    mixinStandardHelpOptions = true,
    description = {
      "生成某学期的《控辍典型案例集》（PDF 和 HTML）：家访劝返后返校、程序完整的辍学确认、逾期未结或程序不完整三类典型案例，",
      "每个案例有时间线图（考勤、家访、通知书、流失报告、返校）、辍学原因、摘自台账情况说明的措施和结果。姓名打码（张*明），不含证件号和学籍号。"
    })
public final class CasesCommand implements Callable<Integer> {
  @Option(names = "--warehouse", required = true, description = "仓库目录")
  Path warehouse;

  @Option(names = "--term", required = true, description = "学期：2025-2026-1（秋季，9/1–1/31）或 2025-2026-2（春季，2/1–8/31）")
  String term;

  @Option(names = "--out", required = true, description = "输出目录")
  Path out;

  @Option(names = "--kinds", split = ",", defaultValue = "RETURNED,DROPOUT,OVERDUE",
      description = "收录哪几类（逗号分隔）：RETURNED 家访劝返后返校，DROPOUT 程序完整的辍学确认，OVERDUE 逾期未结或程序不完整；默认全部")
  List<Cases.Kind> kinds;

  @Option(names = "--per-kind", defaultValue = "5", description = "每类最多收录几个案例；默认 ${DEFAULT-VALUE}")
  int perKind;

  @Option(names = "--issuer", defaultValue = "县控辍保学工作领导小组办公室", description = "编发单位；默认 ${DEFAULT-VALUE}")
  String issuer;

  @Override
  public Integer call() throws Exception {
    if (perKind < 1) {
      throw new Main.UserError("--per-kind 至少为 1。");
    }
    List<Path> files;
    try {
      files = Cases.write(warehouse, term, out, issuer, new Cases.Selection(kinds, perKind, Rules.defaults().grace.minHomeVisits));
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
    System.out.println(term + " 《控辍典型案例集》（姓名已打码）：");
    files.forEach(f -> System.out.println("  " + f));
    return 0;
  }
}
