package baoxue.cli;

import baoxue.inspect.Draw;
import baoxue.inspect.InspectionRules;
import baoxue.inspect.Pack;
import baoxue.inspect.Quarter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./baoxue inspect}: the quarterly unannounced inspection (季查). */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {"季查：季度开始时承诺种子（commit），检查当天按风险加权随机抽取学校和班级并生成检查材料（draw），",
      "季度结束后公布种子，任何人都可以核对抽签（verify）。检查发现按 inspections 抽取随交付入库。"},
    subcommands = {InspectCommand.Commit.class, InspectCommand.DrawCmd.class, InspectCommand.Verify.class})
public final class InspectCommand implements Runnable {
  @Override
  public void run() {
    throw new Main.UserError("请指定子命令：commit、draw 或 verify（./baoxue inspect --help）。");
  }

  static Quarter quarter(String q) {
    try {
      return Quarter.parse(q);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
  }

  /** Runs {@code step}; a refusal it explains (IllegalArgument/IllegalState) becomes a user error, not a stack trace. */
  static <T> T explained(Callable<T> step) throws Exception {
    try {
      return step.call();
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
  }

  static InspectionRules rules(Path file) throws Exception {
    return file == null ? InspectionRules.defaults() : InspectionRules.load(file);
  }

  @Command(name = "commit", mixinStandardHelpOptions = true,
      description = "为一个季度生成秘密种子（存在受限区，仅属主可读）并打印它的承诺（SHA-256），请在季度开始时公布承诺。")
  static final class Commit implements Callable<Integer> {
    @Option(names = "--warehouse", required = true, description = "仓库目录")
    Path warehouse;

    @Option(names = "--quarter", required = true, description = "季度，如 2025Q4")
    String quarter;

    @Option(names = "--keep-existing", description = "季度已有种子和承诺时不报错，只打印已有的承诺（调度器每季度自动运行时用）")
    boolean keepExisting;

    @Override
    public Integer call() throws Exception {
      Quarter q = quarter(quarter);
      if (keepExisting && Files.exists(Draw.seedFile(warehouse, q)) && Files.exists(Draw.commitmentFile(warehouse, q))) {
        System.out.println(q.id() + " 已有种子，保持不变。已公布的承诺：" + Files.readString(Draw.commitmentFile(warehouse, q)).strip());
        return 0;
      }
      String c = explained(() -> Draw.commit(warehouse, q));
      System.out.println(q.id() + " 季查种子已生成，保存在受限区，不会打印。请现在公布这个承诺（例如在教育局网站上）：");
      System.out.println();
      System.out.println("  " + q.id() + " sha256:" + c);
      System.out.println();
      System.out.println("承诺也写在 " + Draw.commitmentFile(warehouse, q) + "。季度结束后公布种子，任何人可用 ./baoxue inspect verify 核对。");
      return 0;
    }
  }

  @Command(name = "draw", mixinStandardHelpOptions = true,
      description = {"检查当天抽签：截至 --date 的风险框架，按风险加权（每所学校都有机会）抽 --schools 所学校，每校抽 --classes-per-school 个班，",
        "记录抽签（不含种子），并为每所抽中的学校生成检查材料（PDF，含学生姓名，仅供检查组）和检查记录模板（CSV）。"})
  static final class DrawCmd implements Callable<Integer> {
    @Option(names = "--warehouse", required = true, description = "仓库目录")
    Path warehouse;

    @Option(names = "--quarter", required = true, description = "季度，如 2025Q4")
    String quarter;

    @Option(names = "--date", required = true, description = "抽签日期（检查当天，须在季度内）；用截至这天的最新快照")
    LocalDate date;

    @Option(names = "--schools", defaultValue = "3", description = "抽几所学校；默认 ${DEFAULT-VALUE}")
    int schools;

    @Option(names = "--classes-per-school", defaultValue = "2", description = "每校抽几个班；默认 ${DEFAULT-VALUE}")
    int classes;

    @Option(names = "--out", required = true, description = "检查材料的输出目录（材料含学生姓名，只交给检查组）")
    Path out;

    @Option(names = "--rules", description = "风险框架参数文件（默认 pipelines/inspection.yaml）")
    Path rulesFile;

    @Override
    public Integer call() throws Exception {
      Quarter q = quarter(quarter);
      Draw.Result r = explained(() -> Draw.draw(warehouse, q, date, schools, classes, rules(rulesFile)));
      System.out.printf("%s 季查抽签，%s（数据截至 %s），风险框架 %d 所学校、%d 个班，摘要 %s…%n", q.id(), date, r.asOf(),
          r.frame().schools().size(), r.frame().classes().size(), r.frameDigest().substring(0, 12));
      for (Draw.DrawnSchool s : r.drawn()) {
        System.out.printf(Locale.ROOT, "  %s %s（权重 %.1f，抽中概率约 %.0f%%）%s%n", s.code(), s.name(), s.weight(), s.probability() * 100,
            s.signals().isEmpty() ? "" : "：" + String.join("；", s.signals().stream().map(g -> g.why()).toList()));
        for (Draw.DrawnClass c : s.classes()) {
          System.out.printf(Locale.ROOT, "      %d 年级 %s 班（%d 人，权重 %.1f）%s%n", c.grade(), c.clazz(), c.size(), c.weight(),
              c.signals().isEmpty() ? "" : "：" + String.join("；", c.signals().stream().map(g -> g.why()).toList()));
        }
      }
      System.out.println("抽签记录：" + Draw.recordFile(warehouse, q, date) + "（种子未打印）");
      for (Path p : Pack.write(warehouse, r, out)) {
        System.out.println("检查材料：" + p);
      }
      System.out.println("注意：检查材料含学生姓名，只交给检查组，检查后收回。");
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "用公布的种子核对一个季度的抽签：种子与承诺是否相符，按仓库截至抽签日的数据重新抽签是否得到同样的学校和班级。")
  static final class Verify implements Callable<Integer> {
    @Option(names = "--warehouse", required = true, description = "仓库目录")
    Path warehouse;

    @Option(names = "--quarter", required = true, description = "季度，如 2025Q4")
    String quarter;

    @Option(names = "--seed", required = true, description = "公布的种子（64 位十六进制）")
    String seed;

    @Option(names = "--date", description = "只核对这一天的抽签（默认核对本季度全部抽签记录）")
    LocalDate date;

    @Option(names = "--rules", description = "风险框架参数文件（默认 pipelines/inspection.yaml）")
    Path rulesFile;

    @Override
    public Integer call() throws Exception {
      Draw.Verdict v = explained(() -> Draw.verify(warehouse, quarter(quarter), seed, date, rules(rulesFile)));
      v.lines().forEach(System.out::println);
      System.out.println(v.ok() ? "核对通过。" : "核对未通过。");
      return v.ok() ? 0 : 1;
    }
  }
}
