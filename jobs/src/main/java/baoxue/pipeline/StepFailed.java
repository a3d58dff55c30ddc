package baoxue.pipeline;

import java.time.LocalDate;

/**
 * A nightly step that failed, said for the operator: which delivery, which step, and the cause in
 * one line — a full disk or a read-only warehouse named as such. What was published before stays
 * as it was (every step publishes through a transaction); running again continues from the step.
 */
public final class StepFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StepFailed(LocalDate delivery, String step, Throwable cause) {
    this(delivery == null ? java.util.List.of() : java.util.List.of(delivery), step, cause);
  }

  /** A step run over a set of deliveries at once (a backfill, a first run) names the set. */
  public StepFailed(java.util.List<LocalDate> deliveries, String step, Throwable cause) {
    super(which(deliveries) + "步骤 " + step + " 失败：" + describe(cause)
        + "。已发布的数据没有改变；排除原因后重新运行，会从这一步继续。", cause);
  }

  private static String which(java.util.List<LocalDate> d) {
    if (d.isEmpty()) {
      return "";
    }
    return d.size() == 1 ? "交付 " + d.get(0) + " 的" : "交付 " + d.get(0) + " 至 " + d.get(d.size() - 1) + "（" + d.size() + " 个）的";
  }

  /** The cause in one line: storage failures by name, else the innermost message. */
  public static String describe(Throwable e) {
    String storage = storage(e);
    if (storage != null) {
      return storage;
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root.getClass().getSimpleName() + (m == null ? "" : "：" + firstLine(m));
  }

  /** A full disk or a read-only file system anywhere in the causes, said in Chinese; else null. */
  public static String storage(Throwable e) {
    String found = null; // the innermost says it best: Spark's wrappers repeat it inside a long message
    String where = "";
    String writing = "";
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      java.util.regex.Matcher w = SPARK_WRITING.matcher(m);
      if (writing.isEmpty() && w.find()) {
        writing = "，写入 " + w.group(1) + " 时";
      }
      boolean full = m.contains("No space left on device");
      if (full || m.contains("Read-only file system")) {
        found = full ? "仓库所在的磁盘已满（No space left on device）" : "仓库是只读的，无法写入（Read-only file system）";
        String here = where(t);
        where = here.isEmpty() ? where : here;
      }
    }
    return found == null ? null : found + (where.isEmpty() ? writing : where);
  }

  /** Spark's own words for the folder a failed task was writing. */
  private static final java.util.regex.Pattern SPARK_WRITING =
      java.util.regex.Pattern.compile("writing rows to (?:file:)?(/\\S+?)\\.?(?:\\s|$)");

  /** The file being written, from the I/O message ("/p/f (No space…)", "\"/p/f\": No space…"). */
  private static String where(Throwable t) {
    String m = firstLine(String.valueOf(t.getMessage()));
    int slash = m.indexOf('/');
    if (slash < 0) {
      return "";
    }
    String path = m.substring(slash).split("[\"']| \\(|: ", 2)[0];
    return "，写入 " + path + " 时";
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
