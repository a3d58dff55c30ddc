package baoxue.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./baoxue}: the one entry point for people. */
@Command(
    name = "baoxue",
    mixinStandardHelpOptions = true,
    version = "baoxue 0.1.0",
    description = {"保学 baoxue —— 县域控辍保学数据仓库。", "每个子命令都有 --help。"},
    subcommands = {RunCommand.class, SnapshotCommand.class, PipelineCommand.class, AnalystDbCommand.class, SqlCommand.class, AlertsCommand.class, MonthlyReportCommand.class, BriefCommand.class, CasesCommand.class, InspectCommand.class, GenerateCommand.class, DemoCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).setExecutionExceptionHandler(Main::handle).execute(args);
    baoxue.pipeline.Metrics.writeIfRequested(code);
    System.exit(code);
  }

  /** Errors a user can act on are printed in one line, without a stack trace. */
  static int handle(Exception e, CommandLine cl, CommandLine.ParseResult pr) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof UserError)) {
      t = t.getCause();
    }
    String msg = e instanceof UserError || t instanceof UserError ? t.getMessage() : e.getMessage();
    String storage = baoxue.pipeline.StepFailed.storage(e);
    if (storage != null && !(e instanceof baoxue.pipeline.StepFailed)) {
      cl.getErr().println("错误：" + storage); // a full disk or a read-only warehouse outside a step (the lock, a report)
      return 2;
    }
    if (e instanceof UserError
        || e instanceof baoxue.pipeline.StepFailed
        || e instanceof baoxue.privacy.Pseudonym.MissingKeyException
        || e instanceof baoxue.warehouse.RunLock.AlreadyRunning
        || e instanceof IllegalStateException
        || e instanceof java.io.IOException) {
      cl.getErr().println("错误：" + msg);
      return 2;
    }
    cl.getErr().println("错误：" + e);
    e.printStackTrace(cl.getErr());
    return 1;
  }

  /** An error in the user's input or environment, reported without a stack trace. */
  public static final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String m) {
      super(m);
    }
  }
}
