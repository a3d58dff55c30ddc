package baoxue.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import baoxue.analyst.AnalystDb;
import baoxue.analyst.SqlRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A night killed with SIGKILL: a real {@code ./baoxue run} in a child JVM stops at a named point
 * (during ingest, in the middle of each layer's publish, between layers, while the analyst
 * database is rebuilt) and is killed there with {@code kill -9}; the next run starts from whatever
 * that left and is killed at the next point, and so on. The warehouse the last, uninterrupted run
 * leaves equals, table by table, the one an uninterrupted night makes. Throughout, the published
 * analyst database stays readable and shows the previous night until the new one is published:
 * a reader thread queries it all along and never sees anything else (issue 8, items 4 and 5).
 */
class CrashSafetyTest {
  static final String D = Night.LAST.toString();
  /** In the order a night reaches them; each kill leaves the state the next run resumes from. */
  static final List<String> KILL_POINTS = List.of(
      "stage:" + D + ":written", // ingest done, nothing published
      "commit:" + D + "-stage:journal", // staged layer's publish decided, nothing swapped in yet
      "commit:" + D + "-stage:apply:1", // staged layer half swapped in
      "core:" + D + ":written", // between layers: staged published, core written, not published
      "commit:" + D + "-core:apply:0",
      "marts:" + D + ":written",
      "commit:" + D + "-marts:journal",
      "commit:" + D + "-marts:apply:3", // marts half swapped in: the live folders are mixed
      "analyst_db:built"); // the new database built beside the old one, not yet renamed over it
  /** What an analyst sees: the counts and latest dates of the main views. */
  static final String LOOK = "SELECT (SELECT count(*) FROM indicators), (SELECT max(as_of) FROM indicators), "
      + "(SELECT count(*) FROM alerts), (SELECT max(as_of) FROM alerts), (SELECT count(*) FROM watchlist), "
      + "(SELECT count(*) FROM fact_attendance), (SELECT count(*) FROM completeness), (SELECT count(*) FROM quarantine)";

  static String look(Path wh) throws Exception {
    return SqlRunner.query(wh, LOOK).rows().toString();
  }

  @Test
  void aNightKilledAtEveryPointAndRunAgainEqualsAnUninterruptedNight() throws Exception {
    Night n = Night.get();
    Path clean = n.clean();
    Path wh = n.copyOfBase("killed");
    String before = look(wh);
    String after = look(clean);
    assertNotEquals(before, after, "the night adds something an analyst can see");

    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean stop = new AtomicBoolean();
    Thread reader = new Thread(() -> {
      while (!stop.get()) {
        try {
          seen.add(look(wh));
          Thread.sleep(50);
        } catch (Throwable e) {
          failures.add(e);
        }
      }
    }, "analyst-reader");
    reader.start();
    try {
      for (String point : KILL_POINTS) {
        Path log = n.root.resolve("logs/killed-" + point.replace(':', '_') + ".log");
        Process p = Night.pausedAt(point, log, n.runArgs(wh));
        assertEquals(before, look(wh), "the published database while the run stands at " + point);
        if (point.equals(KILL_POINTS.get(0))) {
          // a second run on the same warehouse, from another process, refuses and says why
          Path second = n.root.resolve("logs/second-run.log");
          assertEquals(2, Night.run(second, List.of(), n.runArgs(wh)), Night.tail(second));
          String said = Files.readString(second);
          assertTrue(said.contains("错误：另一个运行正在使用这个仓库（pid " + p.pid()), said);
        }
        Night.kill9(p);
        assertEquals(before, look(wh), "the published database after a kill -9 at " + point);
      }
      n.runOk(n.root.resolve("logs/killed-final.log"), n.runArgs(wh).toArray(String[]::new));
    } finally {
      stop.set(true);
      reader.join();
    }
    assertEquals(List.of(), failures, "the reader never failed");
    assertTrue(seen.size() > KILL_POINTS.size(), "the reader read all along: " + seen.size());
    for (String s : seen) {
      assertTrue(s.equals(before) || s.equals(after), "a reader saw a state that is neither the previous night nor the new one: " + s);
    }
    assertEquals(after, look(wh));
    Night.assertSameTables(clean, wh);
    try (Stream<Path> txn = Files.list(wh.resolve("_txn"))) {
      assertEquals(0, txn.count(), "no transaction left behind");
    }
    try (Stream<Path> files = Files.list(wh)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".baoxue.duckdb.building")), "no half-built database");
    }
    try (Stream<Path> snaps = Files.list(wh.resolve(AnalystDb.SNAPSHOTS))) {
      assertTrue(snaps.count() <= 2, "only the current and the previous database's snapshots are kept");
    }
  }

  @Test
  void aReportKilledWhileBeingWrittenLeavesThePreviousFileWholeAndIsWrittenWholeNextTime() throws Exception {
    Night n = Night.get();
    Path out = n.root.resolve("reports-killed");
    List<String> brief = List.of("brief", "--warehouse", n.base.toString(), "--month", "2025-09", "--out", out.toString());
    List<String> monthly = List.of("monthly-report", "--warehouse", n.base.toString(), "--month", "2025-09", "--level", "county", "--out", out.toString());
    n.runOk(n.root.resolve("logs/brief-1.log"), brief.toArray(String[]::new));
    n.runOk(n.root.resolve("logs/monthly-1.log"), monthly.toArray(String[]::new));
    List<Path> files;
    try (Stream<Path> s = Files.list(out)) {
      files = s.sorted().toList();
    }
    assertEquals(3, files.size(), files.toString()); // the brief's PDF and HTML, the county form
    for (Path f : files) {
      byte[] whole = Files.readAllBytes(f);
      List<String> args = f.getFileName().toString().endsWith(".xlsx") ? monthly : brief;
      Path log = n.root.resolve("logs/report-killed-" + f.getFileName() + ".log");
      Process p = Night.pausedAt("publish:" + f.getFileName(), log, args);
      assertTrue(Files.exists(f.resolveSibling(f.getFileName() + ".tmp")), "the new version is being written beside the old");
      Night.kill9(p);
      assertArrayEquals(whole, Files.readAllBytes(f), f.getFileName() + ": the previous file is still whole after kill -9");
      n.runOk(n.root.resolve("logs/report-again-" + f.getFileName() + ".log"), args.toArray(String[]::new));
      assertFalse(Files.exists(f.resolveSibling(f.getFileName() + ".tmp")), "the next run replaced the leftover");
      assertTrue(Files.size(f) > 0);
      if (f.getFileName().toString().endsWith(".html")) {
        assertArrayEquals(whole, Files.readAllBytes(f), "the same brief again");
      }
    }
  }
}
