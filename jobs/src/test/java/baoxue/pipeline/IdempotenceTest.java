package baoxue.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import baoxue.privacy.Pseudonym;
import baoxue.schema.Schemas;
import baoxue.schema.TableSpec;
import baoxue.spark.Tables;
import baoxue.testing.SparkTestSession;
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
 * Re-running changes nothing; a re-delivery is rebuilt; two runs at once: the second refuses; a
 * different pseudonym key is refused. (Kills at every crash point: cli's CrashSafetyTest.)
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

  // A run killed at any of the pipeline's crash points and resumed equals one clean run: the real
  // kill -9 of a child process at each of them (a superset of the in-JVM crashes this class used to
  // inject at six of the same points) is cli's CrashSafetyTest.

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
