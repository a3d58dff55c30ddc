package baoxue.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import baoxue.privacy.Pseudonym;
import baoxue.schema.Schemas;
import baoxue.schema.TableSpec;
import baoxue.spark.Tables;
import baoxue.testing.SparkTestSession;
import baoxue.warehouse.Faults;
import baoxue.warehouse.RunLock;
import baoxue.warehouse.Warehouse;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-running changes nothing; a run that dies at any of several points and is resumed gives the
 * same warehouse as one clean run; a re-delivery is rebuilt; two runs at once: the second refuses.
 */
class IdempotenceTest {
  static final Path SAMPLE = Paths.get(System.getProperty("baoxue.sample", "../samples/landing"));
  static final LocalDate UNTIL = LocalDate.of(2025, 9, 5);
  static final Pseudonym KEY = new Pseudonym("testkey");
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  @TempDir Path tmp;

  static NightlyRun.Summary run(Path landing, Path wh) throws Exception {
    return run(landing, wh, UNTIL);
  }

  static NightlyRun.Summary run(Path landing, Path wh, LocalDate until) throws Exception {
    return NightlyRun.run(SparkTestSession.get(), new NightlyRun.Options(landing.toString(), wh.toString(), until, KEY, baoxue.marts.Rules.defaults(), QUIET));
  }

  /** Every published table's rows, sorted, as text: what any query could see. */
  static Map<String, List<String>> snapshot(Path whPath) throws Exception {
    SparkSession spark = SparkTestSession.get();
    Warehouse wh = new Warehouse(whPath.toString(), spark.sparkContext().hadoopConfiguration());
    List<TableSpec> all = new ArrayList<>(Schemas.tables().values());
    for (String k : Schemas.KINDS) {
      all.add(Schemas.staged(k));
      all.add(Schemas.restrictedStaged(k));
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (TableSpec t : all) {
      List<String> rows = new ArrayList<>();
      for (Row r : Tables.read(spark, wh, t).collectAsList()) {
        rows.add(r.toString());
      }
      rows.sort(null);
      out.put(t.table, rows);
    }
    return out;
  }

  @Test
  void aSecondRunChangesNothing() throws Exception {
    Path wh = tmp.resolve("wh");
    NightlyRun.Summary first = run(SAMPLE, wh);
    assertEquals(5, first.processed());
    Map<String, List<String>> before = snapshot(wh);
    NightlyRun.Summary second = run(SAMPLE, wh);
    assertEquals(0, second.processed());
    assertEquals(5, second.skipped());
    assertEquals(before, snapshot(wh));
  }

  @Test
  void aRunKilledAtAnyPointAndResumedEqualsOneCleanRun() throws Exception {
    Path clean = tmp.resolve("clean");
    run(SAMPLE, clean);
    Map<String, List<String>> expected = snapshot(clean);
    // every crash happens while processing the last delivery: start each from the same warehouse up to the day before
    Path before = tmp.resolve("before");
    run(SAMPLE, before, UNTIL.minusDays(1));
    for (String point :
        List.of(
            "stage:2025-09-05:written",
            "commit:2025-09-05-stage:apply:1",
            "commit:2025-09-05-core:apply:0",
            "marts:2025-09-05:written",
            "commit:2025-09-05-marts:apply:3",
            "analyst_db:built")) {
      Path wh = tmp.resolve("crash-" + point.replace(':', '_'));
      FileUtils.copyDirectory(before.toFile(), wh.toFile());
      System.setProperty("baoxue.crashAt", point);
      try {
        assertThrows(Faults.InjectedCrash.class, () -> run(SAMPLE, wh), point);
      } finally {
        System.clearProperty("baoxue.crashAt");
      }
      run(SAMPLE, wh);
      assertEquals(expected, snapshot(wh), "resumed after a crash at " + point);
      assertTrue(Files.list(wh.resolve("_txn")).findAny().isEmpty(), "no transaction left behind");
      try (var files = Files.list(wh)) {
        assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".baoxue.duckdb.building")), "no half-built database left");
      }
      assertTrue(Files.exists(wh.resolve("baoxue.duckdb")));
    }
  }

  @Test
  void aRedeliveryIsRebuiltAndDroppedRowsDisappear() throws Exception {
    Path landing = tmp.resolve("landing");
    FileUtils.copyDirectory(SAMPLE.toFile(), landing.toFile());
    Path wh = tmp.resolve("wh");
    LocalDate until = LocalDate.of(2025, 9, 12);
    run(landing, wh, until);
    // The school re-sends 09-10 without the two bad rows and with S2 excused instead of absent.
    Path f = landing.resolve("2025-09-10/attendance_3412220001.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(f));
    lines.removeIf(l -> l.contains("2025-09-31") || l.contains("缺席"));
    lines.replaceAll(l -> l.startsWith("G34132220100302103X") ? l.replace("旷课", "事假") : l);
    Files.write(f, lines);
    NightlyRun.Summary s = run(landing, wh, until);
    assertEquals(3, s.processed(), "09-10 rebuilt; the 09-11 and 09-12 snapshots recomputed");
    // The result equals a clean run over the corrected landing.
    Path clean = tmp.resolve("clean");
    run(landing, clean, until);
    assertEquals(snapshot(clean), snapshot(wh));
  }

  @Test
  void aSecondRunOnTheSameWarehouseRefuses() throws Exception {
    Path wh = tmp.resolve("wh");
    Files.createDirectories(wh);
    try (RunLock held = RunLock.acquire(wh, "test")) {
      RunLock.AlreadyRunning e = assertThrows(RunLock.AlreadyRunning.class, () -> run(SAMPLE, wh));
      assertTrue(e.getMessage().startsWith("另一个运行正在使用这个仓库"), e.getMessage());
    }
  }

  @Test
  void aDifferentPseudonymKeyIsRefused() throws Exception {
    Path wh = tmp.resolve("wh");
    NightlyRun.run(SparkTestSession.get(), new NightlyRun.Options(SAMPLE.toString(), wh.toString(), LocalDate.of(2025, 9, 1), KEY, baoxue.marts.Rules.defaults(), QUIET));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> NightlyRun.run(SparkTestSession.get(),
            new NightlyRun.Options(SAMPLE.toString(), wh.toString(), UNTIL, new Pseudonym("other"), baoxue.marts.Rules.defaults(), QUIET)));
    assertTrue(e.getMessage().contains("BAOXUE_PSEUDONYM_KEY 与建立这个仓库时用的密钥不同"));
  }
}
