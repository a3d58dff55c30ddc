package baoxue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** The Markdown table of a bench result (the JSON has every figure; this is for people). */
final class BenchReport {
  private BenchReport() {}

  static String markdown(JsonNode r) {
    StringBuilder b = new StringBuilder();
    JsonNode m = r.path("machine");
    JsonNode data = r.path("data");
    b.append("# 性能测试结果：").append(data.path("scale").asText()).append("\n\n");
    b.append("命令：`").append(r.path("command").asText()).append("`（提交 ").append(r.path("git_commit").asText())
        .append("，开始于 ").append(r.path("started_at").asText()).append("）\n\n");
    b.append("机器：").append(m.path("cores").asInt()).append(" 核，").append(m.path("memory_gib").asDouble()).append(" GiB，")
        .append(m.path("cpu").asText()).append("；").append(m.path("java").asText()).append("；Spark ").append(m.path("spark").asText())
        .append("；DuckDB ").append(m.path("duckdb").asText()).append("\n\n");
    b.append(String.format(
        "数据：%d 所学校，%,d 名学生，%d 个交付日（%s 至 %s），%,d 行考勤，%,d 个 CSV 文件共 %s（种子 %d，规范格式）%n%n",
        data.path("schools").asInt(), data.path("students").asLong(), data.path("deliveries").asInt(), data.path("first_delivery").asText(),
        data.path("last_delivery").asText(), data.path("attendance_rows").asLong(), data.path("files").asLong(),
        bytes(data.path("csv_bytes").asLong()), data.path("seed").asLong()));

    JsonNode bf = r.path("backfill");
    boolean nights = "nights".equals(bf.path("mode").asText());
    b.append(nights ? "## 逐晚跑（每个交付一晚，每晚新起 JVM、接着上一晚的仓库）\n\n" : "## 补跑一个学期（每个交付一个截至当天的快照）\n\n");
    b.append(String.format(
        "%d 个交付，墙钟 %.1f 秒（每个交付 %.1f 秒），读入 %,d 行；峰值堆 %s（各堆内存池峰值之和，是上限），峰值 RSS %s；仓库 %,d 个文件（Parquet %,d 个）共 %s%s%n%n",
        bf.path("deliveries").asInt(), bf.path("wall_seconds").asDouble(), bf.path("seconds_per_delivery").asDouble(),
        bf.path("rows_read").asLong(), bytes(bf.path("peak_heap_bytes").asLong()), bytes(bf.path("peak_rss_bytes").asLong()),
        bf.path("files").asLong(), bf.path("parquet_files").asLong(), bytes(bf.path("bytes").asLong()),
        bf.path("reused").asBoolean() ? "（本次沿用之前的补跑，数字是那次测的）" : ""));
    b.append("| 步骤 | 秒（合计） |\n|---|---:|\n");
    for (Iterator<Map.Entry<String, JsonNode>> it = bf.path("step_seconds").fields(); it.hasNext(); ) {
      var e = it.next();
      b.append(String.format("| %s | %.1f |%n", e.getKey(), e.getValue().asDouble()));
    }
    b.append(String.format("| 启动与其它 | %.1f |%n%n", bf.path("startup_and_other_seconds").asDouble()));
    if (nights) {
      nights(b, bf.path("each_night"), r.path("increment"), r.path("nights_drift"));
    }

    JsonNode inc = r.path("increment");
    b.append("## 每晚增量：").append(inc.path("delivery").asText()).append(" 的交付（").append(inc.path("runs").asInt())
        .append(nights ? " 次，每次从逐晚跑出的同一份仓库开始、新起 JVM）\n\n" : " 次，每次从同一份补跑结果开始、新起 JVM）\n\n");
    b.append("| 阶段 | 中位数（秒） | 最小 | 最大 | Spark 作业数 |\n|---|---:|---:|---:|---:|\n");
    row(b, "**合计（含 JVM 启动）**", inc.path("wall_seconds"), inc.path("spark_jobs"));
    for (Iterator<Map.Entry<String, JsonNode>> it = inc.path("step_seconds").fields(); it.hasNext(); ) {
      var e = it.next();
      row(b, e.getKey(), e.getValue(), inc.path(e.getKey() + "_spark_jobs"));
    }
    row(b, "JVM、Spark 启动与其它", inc.path("startup_and_other_seconds"), null);
    JsonNode pub = r.path("publications");
    row(b, "出版物：月度简报（独立进程）", pub.path("brief").path("wall_seconds"), null);
    row(b, "出版物：全县月报表（独立进程）", pub.path("monthly_report_county").path("wall_seconds"), null);
    double wall = inc.path("wall_seconds").path("median").asDouble();
    b.append(String.format(
        "%n读入 %,d 行（%,.0f 行/秒，按含启动的墙钟）；峰值堆 %s，峰值 RSS %s，GC %.1f 秒；写入 %,d 个文件共 %s；之后仓库共 %,d 个文件（Parquet %,d 个）%s%n%n",
        inc.path("rows_read").path("median").asLong(), inc.path("rows_read").path("median").asDouble() / Math.max(wall, 1e-3),
        bytes(inc.path("peak_heap_bytes").path("max").asLong()), bytes(inc.path("peak_rss_bytes").path("max").asLong()),
        inc.path("gc_seconds").path("median").asDouble(), inc.path("files_written").path("median").asLong(),
        bytes(inc.path("bytes_written").path("median").asLong()), inc.path("warehouse_files").path("median").asLong(),
        inc.path("warehouse_parquet_files").path("median").asLong(), bytes(inc.path("warehouse_bytes").path("median").asLong())));

    b.append("剖析（第 1 次增量）：Spark 作业用时最多的代码位置（并发写出的作业时间重叠，合计可超过墙钟）\n\n");
    b.append("| 代码位置 | 秒 |\n|---|---:|\n");
    int k = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = inc.path("each_run").path(0).path("spark_job_seconds_by_call_site").fields();
        it.hasNext() && k < 12; k++) {
      var e = it.next();
      b.append(String.format("| `%s` | %.1f |%n", e.getKey(), e.getValue().asDouble()));
    }
    b.append("\n");
    JsonNode bl = r.path("baseline");
    double base = bl.path("wall_seconds").path("median").asDouble();
    b.append("## 对照：纯 DuckDB 脚本全量重算（").append(bl.path("script").asText()).append("，截至 ").append(bl.path("as_of").asText()).append("）\n\n");
    b.append(String.format(
        "DuckDB 基线中位数 %.1f 秒（最小 %.1f、最大 %.1f；进程内，不含 JVM 启动）；每晚增量含启动 %.1f 秒，是基线的 %.2f 倍；不含启动（各步骤之和）%.1f 秒，是基线的 %.2f 倍。%n%n",
        base, bl.path("wall_seconds").path("min").asDouble(), bl.path("wall_seconds").path("max").asDouble(), wall, wall / Math.max(base, 1e-9),
        stepsSum(inc), stepsSum(inc) / Math.max(base, 1e-9)));
    b.append("两边对 D 的结果（基线是按规范独立写的 SQL，不做契约的冲突隔离等细节；规范格式的数据上应当一致）：\n\n");
    b.append("| 数 | 保学集市 | DuckDB 基线 | 一致 |\n|---|---:|---:|:---:|\n");
    for (Iterator<Map.Entry<String, JsonNode>> it = bl.path("marts_counts").fields(); it.hasNext(); ) {
      var e = it.next();
      long other = bl.path("counts").path(e.getKey()).asLong();
      b.append(String.format("| %s | %,d | %,d | %s |%n", e.getKey(), e.getValue().asLong(), other, e.getValue().asLong() == other ? "✓" : "✗"));
    }
    b.append("\n## 十个分析问题（docs/analysts.md，分析库只读连接，每题预热 1 次后计时 5 次 × ").append(inc.path("runs").asInt()).append(" 轮）\n\n");
    b.append("| 问题 | 中位数（毫秒） | 最小 | 最大 |\n|---|---:|---:|---:|\n");
    for (JsonNode q : r.path("analyst_queries_ms")) {
      b.append(String.format("| %d | %.1f | %.1f | %.1f |%n", q.path("question").asInt(), q.path("median").asDouble(), q.path("min").asDouble(),
          q.path("max").asDouble()));
    }
    return b.toString();
  }

  /** Every night in a row, the last being the increment's first run, and the last night against the fifth. */
  private static void nights(StringBuilder b, JsonNode each, JsonNode inc, JsonNode drift) {
    b.append("| 晚 | 交付日 | 墙钟（秒） | stage | core | marts | snapshots | Spark 作业 | 峰值 RSS |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (JsonNode n : each) {
      nightRow(b, n.path("night").asInt(), n.path("delivery").asText(), n);
    }
    JsonNode last = inc.path("each_run").path(0);
    if (!last.isMissingNode()) {
      nightRow(b, drift.path("last_night").asInt(), inc.path("delivery").asText() + "（每晚增量第 1 次）", last);
    }
    if (!drift.isMissingNode()) {
      b.append(String.format(
          "%n第 %d 晚与第 %d 晚相比：墙钟 %.1f 秒对 %.1f 秒（%+.1f %%），峰值 RSS %s 对 %s（%+.1f %%）%n",
          drift.path("last_night").asInt(), drift.path("reference_night").asInt(), drift.path("last_wall_seconds").asDouble(),
          drift.path("reference_wall_seconds").asDouble(), 100 * drift.path("wall_change").asDouble(),
          bytes(drift.path("last_peak_rss_bytes").asLong()), bytes(drift.path("reference_peak_rss_bytes").asLong()),
          100 * drift.path("peak_rss_change").asDouble()));
    }
    b.append("\n");
  }

  private static void nightRow(StringBuilder b, int n, String d, JsonNode x) {
    JsonNode st = x.path("step_seconds");
    b.append(String.format("| %d | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %s |%n", n, d, x.path("wall_seconds").asDouble(),
        st.path("stage").asDouble(), st.path("core").asDouble(), st.path("marts").asDouble(), st.path("snapshots").asDouble(),
        x.path("spark_jobs").asLong(), bytes(x.path("peak_rss_bytes").asLong())));
  }

  private static double stepsSum(JsonNode inc) {
    double s = 0;
    for (JsonNode v : inc.path("step_seconds")) {
      s += v.path("median").asDouble();
    }
    return s;
  }

  private static void row(StringBuilder b, String name, JsonNode s, JsonNode jobs) {
    b.append(String.format("| %s | %.1f | %.1f | %.1f | %s |%n", name, s.path("median").asDouble(), s.path("min").asDouble(),
        s.path("max").asDouble(), jobs == null || jobs.isMissingNode() ? "" : String.valueOf(jobs.path("median").asLong())));
  }

  static String bytes(long n) {
    if (n < 0) {
      return "?";
    }
    if (n < 1024 * 1024) {
      return String.format("%.0f KB", n / 1024.0);
    }
    if (n < 1024L * 1024 * 1024) {
      return String.format("%.1f MB", n / 1024.0 / 1024);
    }
    return String.format("%.2f GB", n / 1024.0 / 1024 / 1024);
  }
}
