package baoxue.cli;

import baoxue.inspect.Quarter;
import baoxue.pipeline.Pipeline;
import baoxue.publications.Cases;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./baoxue pipeline NAME --date D}: runs a pipeline of pipelines/ for one date, all its
 * steps in order or one of them ({@code --step}). The Airflow DAGs submit exactly this command,
 * one step per task, so the schedule and the command line cannot drift apart.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "按 pipelines/ 中的定义，为日期 D 运行一条流水线（nightly、monthly_schools、monthly_county、semester、inspection_commit、inspection_draw）的全部步骤，或用 --step 只运行其中一步。",
      "Airflow DAG 的每个任务提交的就是这条命令。--list 只列出步骤和它们展开后的命令。"
    })
public final class PipelineCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "流水线名（pipelines/<名>.yaml）")
  String name;

  @Option(names = "--date", required = true, description = "日期 D（调度的逻辑日期，YYYY-MM-DD）")
  LocalDate date;

  @Option(names = "--step", description = "只运行这一步（步骤 id）")
  String step;

  @Option(names = "--landing", description = "交付目录（每晚流水线需要）")
  String landing;

  @Option(names = "--warehouse", required = true, description = "仓库目录")
  String warehouse;

  @Option(names = "--outputs", description = "出版物输出目录（月报表、简报、案例集；不含学生姓名）")
  String outputs;

  @Option(names = "--restricted", description = "受限输出目录（行动清单、检查材料；含学生姓名，仅属主可读）")
  String restricted;

  @Option(names = "--param", description = "流水线参数 名=值（如 schools=4），覆盖定义中的默认值")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--list", description = "只列出步骤与展开后的命令，不运行")
  boolean list;

  private static final Pattern PLACEHOLDER = Pattern.compile("<([a-z_A-Z]+)>");

  @Override
  public Integer call() throws Exception {
    Pipeline p;
    try {
      p = Pipeline.load(name);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
    List<Pipeline.StepDef> steps = p.scheduledSteps();
    if (step != null) {
      steps = steps.stream().filter(s -> s.id.equals(step)).toList();
      if (steps.isEmpty()) {
        throw new Main.UserError(
            "流水线 " + name + " 没有步骤 " + step + "（有：" + String.join("、", p.scheduledSteps().stream().map(s -> s.id).toList()) + "）");
      }
    }
    List<Planned> planned = plan(steps, values(p), step == null);
    for (Planned pl : planned) {
      System.out.println("==> " + p.pipeline + " / " + pl.label() + "（" + pl.title() + "），D = " + date);
      System.out.println("    ./baoxue " + String.join(" ", pl.command()));
      if (list) {
        continue;
      }
      int rc = new CommandLine(new Main()).setExecutionExceptionHandler(Main::handle).execute(pl.command().toArray(String[]::new));
      if (rc != 0) {
        System.err.println("错误：流水线 " + p.pipeline + " 的步骤 " + pl.label() + "（D = " + date + "）失败，退出码 " + rc + "；之后的步骤没有运行。");
        return rc;
      }
    }
    return 0;
  }

  /**
   * One command the pipeline runs: the step ids it covers (joined by 、), their titles, the command
   * line, and whether it is (made of) {@code ./baoxue run --through} steps.
   */
  record Planned(String label, String title, List<String> command, boolean run) {}

  /**
   * The commands for these steps, in order. With {@code merge} (the whole pipeline, no {@code
   * --step}), consecutive steps of {@code ./baoxue run --through X} become one {@code ./baoxue run}
   * without {@code --through}: every nightly step in one Spark session, resumable per step.
   */
  static List<Planned> plan(List<Pipeline.StepDef> steps, Map<String, String> values, boolean merge) {
    List<Planned> out = new ArrayList<>();
    for (Pipeline.StepDef s : steps) {
      List<String> c = expand(s, values);
      boolean run = isRunThrough(c);
      int last = out.size() - 1;
      if (merge && run && last >= 0 && out.get(last).run()) {
        Planned prev = out.get(last);
        out.set(last, new Planned(prev.label() + "、" + s.id, prev.title() + "；" + s.title, withoutThrough(c), true));
      } else {
        out.add(new Planned(s.id, s.title, c, run));
      }
    }
    return out;
  }

  /** A {@code run ... --through STEP} command (one step of the nightly pipeline). */
  static boolean isRunThrough(List<String> c) {
    return !c.isEmpty() && c.get(0).equals("run") && c.contains("--through");
  }

  /** The same run without {@code --through}: every step, and the after-run steps. */
  static List<String> withoutThrough(List<String> c) {
    List<String> out = new ArrayList<>(c);
    int i = out.indexOf("--through");
    out.remove(i + 1);
    out.remove(i);
    return out;
  }

  /** The value of every placeholder a step may use, for this date and these options. */
  Map<String, String> values(Pipeline p) {
    Map<String, String> v = new LinkedHashMap<>(p.params);
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (!p.params.containsKey(e.getKey())) {
        throw new Main.UserError("流水线 " + p.pipeline + " 没有参数 " + e.getKey() + (p.params.isEmpty() ? "" : "（有：" + String.join("、", p.params.keySet()) + "）"));
      }
      v.put(e.getKey(), e.getValue());
    }
    v.put("D", date.toString());
    v.put("month", date.toString().substring(0, 7));
    v.put("quarter", Quarter.of(date).id());
    v.put("last_term", Cases.Term.of(date.minusDays(1)).id());
    v.put("warehouse", warehouse);
    if (landing != null) {
      v.put("landing", landing);
    }
    if (outputs != null) {
      v.put("outputs", outputs);
    }
    if (restricted != null) {
      v.put("restricted", restricted);
    }
    return v;
  }

  /** The step's command with every placeholder replaced; an option the step needs but was not given is an error. */
  static List<String> expand(Pipeline.StepDef s, Map<String, String> values) {
    if (s.command.isEmpty()) {
      throw new IllegalStateException("step " + s.id + " has no command in its pipeline definition");
    }
    List<String> out = new ArrayList<>();
    for (String arg : s.command) {
      Matcher m = PLACEHOLDER.matcher(arg);
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        String val = values.get(m.group(1));
        if (val == null) {
          throw new Main.UserError("步骤 " + s.id + " 需要 --" + m.group(1) + "（它的命令里有 <" + m.group(1) + ">）");
        }
        m.appendReplacement(b, Matcher.quoteReplacement(val));
      }
      m.appendTail(b);
      out.add(b.toString());
    }
    return out;
  }
}
