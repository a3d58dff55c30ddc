package baoxue.cli;

import baoxue.analyst.SqlRunner;
import baoxue.generate.CountyGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The benchmark run behind {@code ./baoxue bench}. Every job it times runs in a fresh child JVM
 * (the same java, flags and class path as this one), so a wall time includes JVM and Spark start
 * as a nightly scheduler would see it; the child reports its own step times, peak heap and peak
 * resident set ({@link baoxue.pipeline.Metrics}).
 */
final class Bench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "baoxue-bench-key";

  private final CountyGenerator.Scale scale;
  private final int days;
  private final int runs;
  private final long seed;
  private final LocalDate start;
  private final Path work;
  private final Path out;
  private final boolean reuseBackfill;
  private final boolean nights;
  private final String childHeap;
  private final PrintStream log;
  private final String dataset;
  private final Path home;

  Bench(CountyGenerator.Scale scale, int days, int runs, long seed, LocalDate start, Path work, Path out, boolean reuseBackfill,
      String childHeap, Path home, PrintStream log) {
    this(scale, days, runs, seed, start, work, out, reuseBackfill, false, childHeap, home, log);
  }

  /**
   * As above; with {@code nights} the state before the last delivery is built night by night (one
   * fresh JVM per delivery, as a scheduler runs a term) instead of in one backfill, and the report
   * compares the last night with the fifth (issue 18's prefecture target: night 20 within 10 % of
   * night 5 in time and peak resident set).
   */
  Bench(CountyGenerator.Scale scale, int days, int runs, long seed, LocalDate start, Path work, Path out, boolean reuseBackfill,
      boolean nights, String childHeap, Path home, PrintStream log) {
    this.scale = scale;
    this.days = days;
    this.runs = Math.max(1, runs);
    this.seed = seed;
    this.start = start;
    this.work = work.toAbsolutePath();
    this.out = out.toAbsolutePath();
    this.reuseBackfill = reuseBackfill;
    this.nights = nights;
    this.childHeap = childHeap;
    this.log = log;
    this.home = home;
    this.dataset = scale.name().toLowerCase(Locale.ROOT) + "-s" + seed + "-" + start + "-" + days + "d-g" + CountyGenerator.version();
  }

  void run() throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("command", "./baoxue bench --scale " + scale.name().toLowerCase(Locale.ROOT) + " --days " + days + " --runs " + runs + " --seed " + seed
        + (nights ? " --nights" : ""));
    r.put("started_at", Instant.now().toString());
    r.put("git_commit", git(home));
    r.put("machine", machine());

    // 1. data: generated once per (scale, seed, start, days) and kept
    Path data = work.resolve("data").resolve(dataset);
    Path landing = data.resolve("landing");
    List<LocalDate> dates = deliveryDates();
    LocalDate d = dates.get(dates.size() - 1);
    LocalDate before = dates.get(dates.size() - 2);
    Map<String, Object> dataInfo = generate(data, landing, dates);
    r.put("data", dataInfo);

    // 2. term backfill: every delivery but the last, into a fresh warehouse
    Path wh = work.resolve("wh").resolve(dataset);
    Path backfill = wh.resolve("backfill");
    Path marker = wh.resolve("backfill.json");
    Map<String, Object> bf = reuseBackfill ? reusable(marker) : null;
    if (bf != null) {
      log.println("补跑：沿用 " + backfill + "（上次测得的结果照录）");
      bf.put("reused", true);
    } else {
      deleteTree(backfill);
      Files.deleteIfExists(marker);
      if (nights) {
        log.printf("逐晚：%d 个交付（%s 至 %s），每晚一个新 JVM、从上一晚的仓库接着跑…%n", dates.size() - 1, dates.get(0), before);
        bf = nightByNight(landing, backfill, dates.subList(0, dates.size() - 1));
      } else {
        log.printf("补跑：%d 个交付（%s 至 %s），每个交付一个截至当天的快照…%n", dates.size() - 1, dates.get(0), before);
        Child c = child("backfill", List.of("run", "--landing", landing.toString(), "--warehouse", backfill.toString(), "--until", before.toString()));
        bf = c.summary();
        bf.put("deliveries", dates.size() - 1);
        bf.put("seconds_per_delivery", c.wall / (dates.size() - 1));
        log.printf("  补跑用时 %.1f 秒（每个交付 %.1f 秒）%n", c.wall, c.wall / (dates.size() - 1));
      }
      bf.putAll(treeStats(backfill, 0));
      bf.put("reused", false);
      Files.createDirectories(wh);
      JSON.writerWithDefaultPrettyPrinter().writeValue(marker.toFile(), bf);
    }
    r.put("backfill", bf);

    // 3. the nightly increment of the last delivery, --runs times from the same backfilled state
    Path inc = wh.resolve("increment");
    Path pubs = work.resolve("out").resolve(dataset);
    List<Map<String, Object>> incRuns = new ArrayList<>();
    List<Map<String, Object>> briefRuns = new ArrayList<>();
    List<Map<String, Object>> reportRuns = new ArrayList<>();
    Map<String, List<Double>> queryMs = new TreeMap<>();
    List<String> queries = analystQueries();
    String month = YearMonth.from(d).toString();
    for (int i = 1; i <= runs; i++) {
      deleteTree(inc);
      copyTree(backfill, inc);
      long since = System.currentTimeMillis() - 1000;
      Child c = child("increment-" + i, List.of("run", "--landing", landing.toString(), "--warehouse", inc.toString(), "--until", d.toString()));
      Map<String, Object> m = c.summary();
      m.putAll(treeStats(inc, since));
      incRuns.add(m);
      log.printf("  每晚增量 %s 第 %d/%d 次：%.1f 秒（含 JVM 启动）%n", d, i, runs, c.wall);
      deleteTree(pubs);
      Child brief = child("brief-" + i, List.of("brief", "--warehouse", inc.toString(), "--month", month, "--out", pubs.toString()));
      briefRuns.add(brief.summary());
      Child rep = child(
          "monthly-report-" + i, List.of("monthly-report", "--warehouse", inc.toString(), "--month", month, "--level", "county", "--out", pubs.toString()));
      reportRuns.add(rep.summary());
      log.printf("  简报 %.1f 秒，全县月报表 %.1f 秒%n", brief.wall, rep.wall);
      timeQueries(inc, queries, queryMs);
    }
    r.put("increment", aggregate(incRuns, d));
    if (bf.get("each_night") instanceof List<?> each && !each.isEmpty()) {
      r.put("nights_drift", drift(each, incRuns.get(0), dates.size()));
    }
    Map<String, Object> pub = new LinkedHashMap<>();
    pub.put("brief", aggregate(briefRuns, null));
    pub.put("monthly_report_county", aggregate(reportRuns, null));
    r.put("publications", pub);
    List<Map<String, Object>> q = new ArrayList<>();
    for (Map.Entry<String, List<Double>> e : queryMs.entrySet()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("question", Integer.parseInt(e.getKey()));
      x.putAll(stats(e.getValue()));
      q.add(x);
    }
    r.put("analyst_queries_ms", q);

    // 4. the DuckDB baseline over the same CSVs, and what both say for D
    r.put("baseline", baseline(landing, d, inc));

    Files.createDirectories(out.getParent());
    JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), r);
    Path md = out.resolveSibling(out.getFileName().toString().replaceAll("\\.json$", "") + ".md");
    Files.writeString(md, BenchReport.markdown(JSON.valueToTree(r)));
    log.println("结果：" + out);
    log.println("表格：" + md);
  }

  /** The recorded state before the last delivery, if there is one built the same way (one backfill, or night by night). */
  private Map<String, Object> reusable(Path marker) throws IOException {
    if (!Files.exists(marker)) {
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> old = JSON.readValue(marker.toFile(), Map.class);
    return "nights".equals(old.get("mode")) == nights ? old : null;
  }

  /** Each delivery of {@code dates} as its own night: a fresh JVM running {@code run --until} that day. */
  private Map<String, Object> nightByNight(Path landing, Path wh, List<LocalDate> dates) throws Exception {
    List<Map<String, Object>> each = new ArrayList<>();
    Map<String, Double> steps = new LinkedHashMap<>();
    double wall = 0;
    long rows = 0;
    long jobs = 0;
    long heap = -1;
    long rss = -1;
    for (int i = 0; i < dates.size(); i++) {
      LocalDate x = dates.get(i);
      Child c = child(String.format("night-%02d", i + 1), List.of("run", "--landing", landing.toString(), "--warehouse", wh.toString(), "--until", x.toString()));
      Map<String, Object> m = night(i + 1, x, c.summary());
      each.add(m);
      wall += c.wall;
      rows += (Long) m.get("rows_read");
      jobs += (Long) m.get("spark_jobs");
      heap = Math.max(heap, (Long) m.get("peak_heap_bytes"));
      rss = Math.max(rss, (Long) m.get("peak_rss_bytes"));
      @SuppressWarnings("unchecked")
      Map<String, Double> st = (Map<String, Double>) m.get("step_seconds");
      st.forEach((k, v) -> steps.merge(k, v, Double::sum));
      log.printf("  第 %d 晚 %s：%.1f 秒，%d 个 Spark 作业，峰值 RSS %s%n", i + 1, x, c.wall, m.get("spark_jobs"), BenchReport.bytes(rss(m)));
    }
    Map<String, Object> bf = new LinkedHashMap<>();
    bf.put("mode", "nights");
    bf.put("wall_seconds", wall);
    bf.put("step_seconds", steps);
    bf.put("startup_and_other_seconds", wall - steps.values().stream().mapToDouble(Double::doubleValue).sum());
    bf.put("rows_read", rows);
    bf.put("spark_jobs", jobs);
    bf.put("peak_heap_bytes", heap);
    bf.put("peak_rss_bytes", rss);
    bf.put("deliveries", dates.size());
    bf.put("seconds_per_delivery", wall / dates.size());
    bf.put("each_night", each);
    return bf;
  }

  /** One night's figures for the nights table (the call sites stay in that night's metrics file). */
  private static Map<String, Object> night(int n, LocalDate d, Map<String, Object> summary) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("night", n);
    m.put("delivery", d.toString());
    summary.forEach((k, v) -> {
      if (!k.equals("spark_job_seconds_by_call_site")) {
        m.put(k, v);
      }
    });
    return m;
  }

  private static long rss(Map<String, Object> m) {
    return ((Number) m.get("peak_rss_bytes")).longValue();
  }

  /**
   * The last night (the increment's first run, from the state the nights built) against the fifth,
   * or the first when there are fewer than six: wall time and peak resident set, and their change.
   */
  private static Map<String, Object> drift(List<?> each, Map<String, Object> lastRun, int last) {
    int ref = last >= 6 ? 5 : 1;
    @SuppressWarnings("unchecked")
    Map<String, Object> r = (Map<String, Object>) each.get(ref - 1);
    double refWall = ((Number) r.get("wall_seconds")).doubleValue();
    double lastWall = ((Number) lastRun.get("wall_seconds")).doubleValue();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reference_night", ref);
    m.put("last_night", last);
    m.put("reference_wall_seconds", refWall);
    m.put("last_wall_seconds", lastWall);
    m.put("wall_change", lastWall / refWall - 1);
    m.put("reference_peak_rss_bytes", rss(r));
    m.put("last_peak_rss_bytes", rss(lastRun));
    m.put("peak_rss_change", (double) rss(lastRun) / rss(r) - 1);
    return m;
  }

  private List<LocalDate> deliveryDates() {
    CountyGenerator probe = new CountyGenerator(seed, 1, scale.meanSize(), start, start.plusYears(1));
    List<LocalDate> all = probe.schoolDays();
    if (all.size() < days) {
      throw new Main.UserError("从 " + start + " 起一年内只有 " + all.size() + " 个上课日");
    }
    return all.subList(0, days);
  }

  private Map<String, Object> generate(Path data, Path landing, List<LocalDate> dates) throws IOException {
    Path marker = data.resolve("generated.json");
    if (Files.exists(marker)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = JSON.readValue(marker.toFile(), Map.class);
      m.put("cached", true);
      log.println("数据：沿用 " + landing);
      return m;
    }
    deleteTree(data);
    log.printf("数据：生成 %s 规模、%d 个交付日（%s 至 %s，种子 %d，规范格式）…%n", scale.name().toLowerCase(Locale.ROOT), days, dates.get(0),
        dates.get(dates.size() - 1), seed);
    CountyGenerator g =
        new CountyGenerator(seed, scale.schools(), scale.meanSize(), dates.get(0), dates.get(dates.size() - 1)).clean(true);
    CountyGenerator.Stats s = g.write(landing, log);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scale", scale.name().toLowerCase(Locale.ROOT));
    m.put("seed", seed);
    m.put("first_delivery", dates.get(0).toString());
    m.put("last_delivery", dates.get(dates.size() - 1).toString());
    m.put("schools", s.schools());
    m.put("students", s.students());
    m.put("deliveries", s.deliveries());
    m.put("files", s.files());
    m.put("attendance_rows", s.attendanceRows());
    m.put("csv_bytes", treeStats(landing, 0).get("bytes"));
    m.put("generate_seconds", s.seconds());
    JSON.writerWithDefaultPrettyPrinter().writeValue(marker.toFile(), m);
    m.put("cached", false);
    return m;
  }

  /** A finished child process: wall time and what it measured about itself. */
  private record Child(double wall, JsonNode metrics) {
    Map<String, Object> summary() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("wall_seconds", wall);
      Map<String, Double> steps = new LinkedHashMap<>();
      double inSteps = 0;
      for (var it = metrics.path("step_seconds").fields(); it.hasNext(); ) {
        var e = it.next();
        steps.put(e.getKey(), e.getValue().asDouble());
        inSteps += e.getValue().asDouble();
      }
      m.put("step_seconds", steps);
      m.put("startup_and_other_seconds", wall - inSteps);
      m.put("rows_read", metrics.path("counts").path("rows_read").asLong(0));
      // Spark jobs, in all and per step (counted by a listener: a fixed cost per job is what small inputs pay)
      m.put("spark_jobs", metrics.path("counts").path("spark_jobs").asLong(0));
      m.put("spark_tasks", metrics.path("counts").path("spark_tasks").asLong(0));
      for (String s : steps.keySet()) {
        m.put(s + "_spark_jobs", metrics.path("counts").path(s + "_spark_jobs").asLong(0));
      }
      m.put("peak_heap_bytes", metrics.path("peak_heap_bytes").asLong(-1));
      m.put("peak_rss_bytes", metrics.path("peak_rss_bytes").asLong(-1));
      m.put("gc_seconds", metrics.path("gc_seconds").asDouble(0));
      Map<String, Double> sites = new LinkedHashMap<>();
      metrics.path("spark_job_seconds_by_call_site").fields().forEachRemaining(e -> sites.put(e.getKey(), e.getValue().asDouble()));
      m.put("spark_job_seconds_by_call_site", sites);
      return m;
    }
  }

  private Child child(String name, List<String> args) throws Exception {
    Path logs = work.resolve("logs").resolve(dataset);
    Files.createDirectories(logs);
    Path logFile = logs.resolve(name + ".log");
    Path metrics = logs.resolve(name + ".metrics.json");
    Files.deleteIfExists(metrics);
    List<String> cmd = childCommand(childHeap, List.of("-Dbaoxue.metrics=" + metrics), args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
    pb.environment().put("BAOXUE_PSEUDONYM_KEY", KEY);
    long t = System.nanoTime();
    int code = pb.start().waitFor();
    double wall = (System.nanoTime() - t) / 1e9;
    if (code != 0 || !Files.exists(metrics)) {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(log::println);
      throw new IllegalStateException("性能测试的子任务 " + name + " 失败（退出码 " + code + "），完整日志：" + logFile);
    }
    return new Child(wall, JSON.readTree(metrics.toFile()));
  }

  /**
   * {@code ./baoxue <args>} in a child JVM: this JVM's java, flags (Spark's --add-opens among them)
   * and class path, with its own heap and system properties.
   */
  static List<String> childCommand(String heap, List<String> properties, List<String> args) {
    return childCommand(heap, properties, args, ClassArchive.Mode.USE);
  }

  /**
   * As above; {@code archive} says whether a {@code run} child may write the class path's class
   * data archive when there is none yet ({@link ClassArchive}; the caller then calls
   * {@link ClassArchive#publish} when it ends). The bench never lets a timed child write it.
   */
  static List<String> childCommand(String heap, List<String> properties, List<String> args, ClassArchive.Mode archive) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-Dbaoxue.metrics") && !a.startsWith("-Dbaoxue.pause") && !a.startsWith("-Dbaoxue.crashAt") && !a.startsWith("-Xmx")
          && !a.startsWith(ClassArchive.USE_FLAG) && !a.startsWith(ClassArchive.DUMP_FLAG) && !a.startsWith("-Xlog:")) {
        cmd.add(a);
      }
    }
    cmd.add("-Xmx" + heap);
    cmd.addAll(properties);
    String cp = childClassPath();
    cmd.addAll(ClassArchive.flags(cp, args, archive));
    cmd.add("-cp");
    cmd.add(cp);
    cmd.add("baoxue.cli.Main");
    cmd.addAll(args);
    return cmd;
  }

  /** This JVM's class path; the child runs baoxue.cli.Main, so a test JVM's own test classes are left out. */
  static String childClassPath() {
    return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(e -> !(e.endsWith("test-classes") && new java.io.File(e).isDirectory()))
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  /** Median, min and max of each numeric field over the runs (step times per step). */
  private static Map<String, Object> aggregate(List<Map<String, Object>> runs, LocalDate d) {
    Map<String, Object> a = new LinkedHashMap<>();
    if (d != null) {
      a.put("delivery", d.toString());
    }
    a.put("runs", runs.size());
    for (String k : runs.get(0).keySet()) {
      if (runs.get(0).get(k) instanceof Number) {
        a.put(k, stats(runs.stream().map(x -> ((Number) x.get(k)).doubleValue()).toList()));
      }
    }
    Map<String, Object> steps = new LinkedHashMap<>();
    @SuppressWarnings("unchecked")
    Map<String, Double> first = (Map<String, Double>) runs.get(0).get("step_seconds");
    for (String s : first.keySet()) {
      steps.put(s, stats(runs.stream().map(x -> ((Map<?, ?>) x.get("step_seconds")).get(s)).map(v -> ((Number) v).doubleValue()).toList()));
    }
    a.put("step_seconds", steps);
    a.put("each_run", runs);
    return a;
  }

  static Map<String, Object> stats(List<Double> xs) {
    double[] v = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("median", v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
    m.put("min", v[0]);
    m.put("max", v[v.length - 1]);
    return m;
  }

  private List<String> analystQueries() throws IOException {
    Path doc = home.resolve("docs/analysts.md");
    Matcher m = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(doc));
    List<String> q = new ArrayList<>();
    while (m.find()) {
      q.add(m.group(1));
    }
    return q;
  }

  /** Each documented question: once to warm up, then five timed runs on a fresh read-only connection. */
  private static void timeQueries(Path wh, List<String> queries, Map<String, List<Double>> ms) throws Exception {
    try (Connection c = SqlRunner.open(wh); Statement s = c.createStatement()) {
      for (int i = 0; i < queries.size(); i++) {
        drain(s, queries.get(i));
        for (int k = 0; k < 5; k++) {
          long t = System.nanoTime();
          drain(s, queries.get(i));
          ms.computeIfAbsent(String.format("%02d", i + 1), x -> new ArrayList<>()).add((System.nanoTime() - t) / 1e6);
        }
      }
    }
  }

  private static long drain(Statement s, String sql) throws Exception {
    long n = 0;
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        n++;
      }
    }
    return n;
  }

  /** Runs bench/baseline.sql --runs times in a fresh in-memory DuckDB; compares its counts with the marts'. */
  private Map<String, Object> baseline(Path landing, LocalDate d, Path wh) throws Exception {
    String sql;
    try (InputStream in = Bench.class.getResourceAsStream("/bench/baseline.sql")) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${as_of}", d.toString());
    }
    // a kind no delivery carries (a short run has no changes yet): a header-only file, as an analyst would add
    Map<String, String> headers = Map.of(
        "attendance", "全国学籍号,学校标识码,日期,状态,备注",
        "calendar", "日期,是否上课日,说明",
        "changes", "异动编号,全国学籍号,异动类型,异动日期,原学校标识码,新学校标识码,异动原因,审批状态",
        "interventions", "记录编号,全国学籍号,日期,类型,责任人,结果,辍学原因,情况说明",
        "students", "全国学籍号,姓名,性别,出生日期,身份证件号,学校标识码,年级,班级,学籍状态,户口在外,建档立卡,低保,残疾,残疾人子女,留守儿童,随迁子女,监护人姓名,监护人电话");
    for (Map.Entry<String, String> e : headers.entrySet()) {
      String glob = landing + "/*/" + e.getKey() + "*.csv";
      if (!anyFile(landing, e.getKey() + "*.csv")) {
        Path empty = work.resolve("baseline-empty/0000-00-00/" + e.getKey() + ".csv");
        Files.createDirectories(empty.getParent());
        Files.writeString(empty, e.getValue() + "\n");
        glob = empty.toString();
      }
      sql = sql.replace("${" + e.getKey() + "}", "'" + glob.replace("'", "''") + "'");
    }
    List<String> statements = new ArrayList<>();
    for (String st : sql.split(";\\s*\\n")) {
      if (Arrays.stream(st.split("\n")).anyMatch(l -> !l.isBlank() && !l.trim().startsWith("--"))) {
        statements.add(st);
      }
    }
    List<Double> secs = new ArrayList<>();
    Map<String, Object> counts = null;
    for (int i = 1; i <= runs; i++) {
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:", new Properties()); Statement s = c.createStatement()) {
        s.execute("SET threads = " + Runtime.getRuntime().availableProcessors());
        long t = System.nanoTime();
        for (String st : statements) {
          s.execute(st);
        }
        secs.add((System.nanoTime() - t) / 1e9);
        log.printf("  DuckDB 基线第 %d/%d 次：%.1f 秒%n", i, runs, secs.get(secs.size() - 1));
        counts = counts(s, "b_alerts", "b_watchlist", "b_indicators", "", "");
      }
    }
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("script", "cli/src/main/resources/bench/baseline.sql");
    b.put("as_of", d.toString());
    b.put("wall_seconds", stats(secs));
    b.put("counts", counts);
    try (Connection c = SqlRunner.open(wh); Statement s = c.createStatement()) {
      b.put("marts_counts", counts(s, "alerts", "watchlist", "indicators", " AND as_of = DATE '" + d + "'", " WHERE as_of = DATE '" + d + "'"));
    }
    return b;
  }

  /** Whether some delivery folder of the landing holds a file matching {@code glob}. */
  private static boolean anyFile(Path landing, String glob) throws IOException {
    try (Stream<Path> days = Files.list(landing)) {
      for (Path day : (Iterable<Path>) days.filter(Files::isDirectory)::iterator) {
        try (var files = Files.newDirectoryStream(day, glob)) {
          if (files.iterator().hasNext()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static Map<String, Object> counts(Statement s, String alerts, String watch, String ind, String and, String where) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alerts", scalar(s, "SELECT count(*) FROM " + alerts + where));
    m.put("open_alerts", scalar(s, "SELECT count(*) FROM " + alerts + " WHERE resolution = 'open'" + and));
    m.put("dropout_alerts", scalar(s, "SELECT count(*) FROM " + alerts + " WHERE resolution = 'dropout'" + and));
    for (String k : List.of("suspected_dropout", "ghost", "chronic_absence")) {
      m.put("watchlist_" + k, scalar(s, "SELECT count(*) FROM " + watch + " WHERE kind = '" + k + "'" + and));
    }
    m.put("base_enrollment", scalar(s, "SELECT sum(base_enrollment) FROM " + ind + " WHERE group_name = 'all'" + and));
    m.put("dropouts", scalar(s, "SELECT sum(dropouts) FROM " + ind + " WHERE group_name = 'all'" + and));
    m.put("returned", scalar(s, "SELECT sum(returned) FROM " + ind + " WHERE group_name = 'all'" + and));
    return m;
  }

  private static long scalar(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Files and bytes under a folder; with {@code since} > 0 also those written since then. */
  private static Map<String, Object> treeStats(Path dir, long since) throws IOException {
    long files = 0;
    long bytes = 0;
    long parquet = 0;
    long newFiles = 0;
    long newBytes = 0;
    try (Stream<Path> s = Files.walk(dir)) {
      // the analyst database's snapshot holds hard links to the marts' files, not more bytes
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile).filter(p -> !dir.relativize(p).startsWith(baoxue.analyst.AnalystDb.SNAPSHOTS))::iterator) {
        long size = Files.size(p);
        files++;
        bytes += size;
        if (p.getFileName().toString().endsWith(".parquet")) {
          parquet++;
        }
        if (since > 0 && Files.getLastModifiedTime(p).toMillis() >= since) {
          newFiles++;
          newBytes += size;
        }
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(since > 0 ? "warehouse_files" : "files", files);
    m.put(since > 0 ? "warehouse_bytes" : "bytes", bytes);
    m.put(since > 0 ? "warehouse_parquet_files" : "parquet_files", parquet);
    if (since > 0) {
      m.put("files_written", newFiles);
      m.put("bytes_written", newBytes);
    }
    return m;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      // not the analyst database's snapshot: the run on the copy rebuilds it
      for (Path x : (Iterable<Path>) s.filter(p -> !from.relativize(p).startsWith(baoxue.analyst.AnalystDb.SNAPSHOTS))::iterator) {
        Path y = to.resolve(from.relativize(x).toString());
        if (Files.isDirectory(x)) {
          Files.createDirectories(y);
        } else {
          Files.copy(x, y, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static Map<String, Object> machine() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memory_gib", memTotalGib());
    m.put("cpu", cpuModel());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("spark", sparkVersion());
    // whether the children map a class data archive (ClassArchive; written by the first ./baoxue run after a build)
    Path archive = ClassArchive.archive(childClassPath());
    m.put("class_data_archive", archive != null && Files.isRegularFile(archive));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:", new Properties()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version()")) {
      rs.next();
      m.put("duckdb", rs.getString(1));
    }
    return m;
  }

  private static double memTotalGib() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          return Math.round(Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0 * 10) / 10.0;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  private static String cpuModel() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          return l.substring(l.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "?";
    }
    return "?";
  }

  private static String sparkVersion() {
    try (InputStream in = Bench.class.getClassLoader().getResourceAsStream("spark-version-info.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static String git(Path home) {
    try {
      Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
          .directory(home.toFile())
          .redirectErrorStream(true)
          .start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 ? s : "?";
    } catch (IOException | InterruptedException e) {
      return "?";
    }
  }
}
