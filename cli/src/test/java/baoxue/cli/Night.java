package baoxue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import baoxue.generate.CountyGenerator;
import baoxue.schema.Schemas;
import baoxue.schema.TableSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;

/**
 * What the unattended-night tests share: a small generated county (6 schools, about 2,000
 * students, the ten school days 2025-09-01..12 — long enough for the two-day rule, returns and dropouts —, with its late files and next-day corrections), a
 * warehouse built through 09-11 by a real {@code ./baoxue run} in a child JVM, and helpers to run
 * {@code ./baoxue} in child JVMs — to completion, or paused at a named point and then killed with
 * SIGKILL.
 */
final class Night {
  static final String KEY = "unattended-night-test-key";
  static final LocalDate LAST = LocalDate.of(2025, 9, 12);
  private static Night shared;
  private Path clean;

  final Path root;
  final Path landing;
  /** Built through the day before {@link #LAST}; copy it, never change it. */
  final Path base;

  private Night(Path root) {
    this.root = root;
    this.landing = root.resolve("landing");
    this.base = root.resolve("base");
  }

  static synchronized Night get() throws Exception {
    if (shared == null) {
      Night n = new Night(Files.createTempDirectory("baoxue-night"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> FileUtils.deleteQuietly(n.root.toFile())));
      new CountyGenerator(20250901L, CountyGenerator.Scale.DEMO.schools(), CountyGenerator.Scale.DEMO.meanSize(),
              LocalDate.of(2025, 9, 1), LAST)
          .write(n.landing, new PrintStream(OutputStream.nullOutputStream()));
      n.runOk(n.root.resolve("logs/base.log"), "run", "--landing", n.landing.toString(), "--warehouse", n.base.toString(),
          "--until", LAST.minusDays(1).toString());
      shared = n;
    }
    return shared;
  }

  /** A fresh copy of the warehouse through 09-04. */
  Path copyOfBase(String name) throws IOException {
    Path wh = root.resolve(name);
    FileUtils.deleteDirectory(wh.toFile());
    FileUtils.copyDirectory(base.toFile(), wh.toFile());
    return wh;
  }

  /** The base warehouse taken through {@link #LAST} by one uninterrupted run: the reference. */
  synchronized Path clean() throws Exception {
    if (clean == null) {
      Path wh = copyOfBase("clean");
      runOk(root.resolve("logs/clean.log"), runArgs(wh).toArray(String[]::new));
      clean = wh;
    }
    return clean;
  }

  List<String> runArgs(Path wh) {
    return List.of("run", "--landing", landing.toString(), "--warehouse", wh.toString());
  }

  static ProcessBuilder child(Path log, List<String> properties, List<String> args) throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(Bench.childCommand("2g", properties, args, ClassArchive.Mode.DUMP))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("BAOXUE_PSEUDONYM_KEY", KEY);
    return pb;
  }

  /** Runs {@code ./baoxue args} to its end; returns the exit code. */
  static int run(Path log, List<String> properties, List<String> args) throws Exception {
    ProcessBuilder pb = child(log, properties, args);
    Process p = pb.start();
    if (!p.waitFor(20, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("./baoxue " + args + " did not finish in 20 minutes; log: " + log);
    }
    ClassArchive.publish(pb.command(), p.exitValue());
    return p.exitValue();
  }

  void runOk(Path log, String... args) throws Exception {
    int code = run(log, List.of(), List.of(args));
    assertEquals(0, code, "./baoxue " + String.join(" ", args) + " failed; log " + log + ":\n" + tail(log));
  }

  /**
   * Starts {@code ./baoxue args} with the pause point set and returns once the child stands there
   * (it wrote the pause file); fails if the child ends first.
   */
  static Process pausedAt(String point, Path log, List<String> args) throws Exception {
    Path flag = log.resolveSibling(log.getFileName() + ".paused");
    Files.deleteIfExists(flag);
    Process p = child(log, List.of("-Dbaoxue.pauseAt=" + point, "-Dbaoxue.pauseFile=" + flag), args).start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (!Files.exists(flag)) {
      if (!p.isAlive()) {
        throw new AssertionError("the run ended (exit " + p.exitValue() + ") before reaching " + point + "; log " + log + ":\n" + tail(log));
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new AssertionError("the run did not reach " + point + " in 10 minutes");
      }
      Thread.sleep(100);
    }
    assertEquals(point, Files.readString(flag));
    return p;
  }

  /** kill -9: Process.destroyForcibly is SIGKILL on Linux; the exit status says so. */
  static void kill9(Process p) throws Exception {
    p.destroyForcibly();
    assertTrue(p.waitFor(1, TimeUnit.MINUTES));
    assertEquals(128 + 9, p.exitValue(), "killed by SIGKILL");
  }

  static String tail(Path log) throws IOException {
    List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** Every table of the warehouse (published, restricted and staged), for the equality checks. */
  static List<TableSpec> allTables() {
    List<TableSpec> all = new ArrayList<>(Schemas.tables().values());
    for (String k : Schemas.KINDS) {
      all.add(Schemas.staged(k));
      all.add(Schemas.restrictedStaged(k));
    }
    return all;
  }

  /** Asserts that the two warehouses hold the same rows in every table (DuckDB over their Parquet). */
  static void assertSameTables(Path expected, Path actual) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      for (TableSpec t : allTables()) {
        boolean e = hasParquet(expected.resolve(t.path()));
        assertEquals(e, hasParquet(actual.resolve(t.path())), t.table + ": present in one warehouse only");
        if (!e) {
          continue;
        }
        String a = relation(expected, t);
        String b = relation(actual, t);
        try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM " + a + "), (SELECT count(*) FROM " + b + "), "
            + "(SELECT count(*) FROM (SELECT * FROM " + a + " EXCEPT ALL SELECT * FROM " + b + ")), "
            + "(SELECT count(*) FROM (SELECT * FROM " + b + " EXCEPT ALL SELECT * FROM " + a + "))")) {
          rs.next();
          assertEquals(rs.getLong(1), rs.getLong(2), t.table + ": row counts");
          assertEquals(0, rs.getLong(3), t.table + ": rows missing");
          assertEquals(0, rs.getLong(4), t.table + ": rows extra");
        }
      }
    }
  }

  private static String relation(Path wh, TableSpec t) {
    String glob = wh.resolve(t.path()).toAbsolutePath() + (t.partitionBy.isEmpty() ? "/*.parquet" : "/*/*.parquet");
    return "read_parquet('" + glob + "'" + (t.partitionBy.isEmpty() ? "" : ", hive_partitioning = true") + ")";
  }

  static boolean hasParquet(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.walk(dir, 2)) {
      return s.anyMatch(p -> p.getFileName().toString().endsWith(".parquet") && !p.getFileName().toString().startsWith("."));
    }
  }
}
