package baoxue.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import baoxue.generate.CountyGenerator;
import baoxue.marts.Rules;
import baoxue.privacy.Pseudonym;
import baoxue.schema.Schemas;
import baoxue.schema.TableSpec;
import baoxue.spark.Tables;
import baoxue.testing.SampleWarehouse;
import baoxue.testing.SparkTestSession;
import baoxue.warehouse.Warehouse;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three ways to the same snapshots, row for row at every as_of: (a) a one-pass backfill (every
 * pending date in one computation over a set of as-of dates), (b) night after night, one delivery
 * at a time, the state carried from the previous delivery and the history re-read only where late
 * or corrected records touched it, and (c) every snapshot on its own from the whole history. On
 * the shared sample (late file, corrections, dropout and return stories: its warehouse is built
 * by (a), compared with (c)) and on a generated county with a late delivery (all three). (a) and
 * (b) run as small runs do, with interpreted expressions; the county's (c) with generated code.
 */
class IncrementalMartsTest {
  @TempDir Path tmp;

  @Test
  void theSampleIncrementallyEqualsTheFullRecomputationOnEveryDelivery() throws Exception {
    Path incremental = SampleWarehouse.root();
    Path full = tmp.resolve("full");
    recomputeMartsInFull(incremental, full, SampleWarehouse.SAMPLE, SampleWarehouse.KEY, 31, false);
    assertSameMarts(incremental, full);
  }

  /**
   * The reference without staging again: a copy of the warehouse whose marts and
   * carried state are removed and whose deliveries are marked as computed with other rules, so
   * the run recomputes every snapshot, each from the whole history (staged and core layers as
   * they are).
   */
  static void recomputeMartsInFull(Path built, Path copy, Path landing, Pseudonym key, int expected, boolean generatedCode)
      throws Exception {
    org.apache.commons.io.FileUtils.copyDirectory(built.toFile(), copy.toFile());
    for (String dir : List.of("marts", "state", "_state/snapshots")) {
      org.apache.commons.io.FileUtils.deleteDirectory(copy.resolve(dir).toFile());
    }
    int deliveries = 0;
    try (var states = Files.list(copy.resolve("_state/deliveries"))) {
      for (Path f : states.filter(x -> x.toString().endsWith(".json")).toList()) {
        String json = Files.readString(f);
        String stale = json.replaceAll("\"martsFingerprint\" : \"[0-9a-f]+\"", "\"martsFingerprint\" : \"stale\"")
            .replace("\"sequenceState\" : true", "\"sequenceState\" : false");
        assertNotEquals(json, stale, f.toString());
        Files.writeString(f, stale);
        Files.deleteIfExists(f.resolveSibling("." + f.getFileName() + ".crc")); // Hadoop's checksum of the old bytes
        deliveries++;
      }
    }
    assertEquals(expected, deliveries);
    System.setProperty("baoxue.incremental", "false");
    System.setProperty("baoxue.backfillDates", "1");
    if (generatedCode) {
      // the county's reference runs with generated code, as a large run would: a small run's
      // interpreted expressions (Sessions.codegen) must give the same rows
      SparkSession spark = SparkTestSession.get();
      System.setProperty("baoxue.spark.sql.codegen.wholeStage", "true");
      spark.conf().set("spark.sql.codegen.wholeStage", "true");
      spark.conf().set("spark.sql.codegen.factoryMode", "FALLBACK");
    }
    try {
      long full = Metrics.count("marts_full");
      long staged = Metrics.count("stage_spark_jobs") + Metrics.count("core_spark_jobs");
      NightlyRun.Summary s = NightlyRun.run(SparkTestSession.get(), options(landing, copy, key));
      assertEquals(expected, s.processed(), "every snapshot recomputed");
      assertEquals(expected, Metrics.count("marts_full") - full, "each from the whole history");
      assertEquals(staged, Metrics.count("stage_spark_jobs") + Metrics.count("core_spark_jobs"), "nothing staged or built again");
    } finally {
      System.clearProperty("baoxue.incremental");
      System.clearProperty("baoxue.backfillDates");
      System.clearProperty("baoxue.spark.sql.codegen.wholeStage");
    }
  }

  /**
   * The third delivery arrives only after the last one: the nightly runs first carry the state
   * through the other seven (keeping it for the last five), then the late folder sends every
   * snapshot from its date on back for recomputation, the first of them in full because the state
   * before it was dropped. The students sent back to their history are joined as a table here
   * ({@code baoxue.inlineKeys=0}, as on a province's night), inlined on the sample.
   */
  @Test
  void aGeneratedCountyWithLateAndCorrectedDeliveriesIncrementallyEqualsTheFullRecomputation() throws Exception {
    Path landing = tmp.resolve("landing");
    new CountyGenerator(11, 4, 70, LocalDate.of(2025, 9, 1), LocalDate.of(2025, 9, 10)).clean(true).write(landing, null);
    Pseudonym key = new Pseudonym("k");
    List<Path> folders;
    try (var list = Files.list(landing)) {
      folders = list.sorted().toList();
    }
    assertEquals(8, folders.size());
    Path third = folders.get(2);
    Path aside = tmp.resolve(third.getFileName().toString());
    Files.move(third, aside);
    System.setProperty("baoxue.inlineKeys", "0");
    System.setProperty("baoxue.backfillDates", "1");
    try {
      incrementalInTwoSteps(landing, third, aside, key);
    } finally {
      System.clearProperty("baoxue.inlineKeys");
      System.clearProperty("baoxue.backfillDates");
    }
    // (a) the same two runs as one-pass backfills: seven dates at once, then the late folder's six
    Files.move(third, aside);
    long sets = Metrics.count("marts_sets");
    NightlyRun.run(SparkTestSession.get(), options(landing, tmp.resolve("onepass"), key));
    Files.move(aside, third);
    NightlyRun.run(SparkTestSession.get(), options(landing, tmp.resolve("onepass"), key));
    assertEquals(2, Metrics.count("marts_sets") - sets, "each run computed its pending dates as one set");
    // (c) the reference: every snapshot from the whole history, on a copy of (b)'s staged and core layers
    recomputeMartsInFull(tmp.resolve("inc"), tmp.resolve("full"), landing, key, 8, true);
    assertSameMarts(tmp.resolve("inc"), tmp.resolve("full"));
    assertSameMarts(tmp.resolve("onepass"), tmp.resolve("full"));
    // the seven deliveries of the first run staged and built as one set, partition for partition
    // what staging and building them one by one gives (the quarantine and the per-file log too)
    assertTrue(Metrics.count("stage_sets") > 0, "the first run staged its deliveries as one set");
    assertSameTables(tmp.resolve("inc"), tmp.resolve("onepass"), List.of("staged", "restricted", "ops", "core"));
  }

  void incrementalInTwoSteps(Path landing, Path third, Path aside, Pseudonym key) throws Exception {
    long inc = Metrics.count("marts_incremental");
    long late = Metrics.count("marts_recomputed_late");
    NightlyRun.run(SparkTestSession.get(), options(landing, tmp.resolve("inc"), key));
    assertEquals(6, Metrics.count("marts_incremental") - inc, "every delivery after the first is incremental");
    assertEquals(
        List.of("as_of=2025-09-04", "as_of=2025-09-05", "as_of=2025-09-08", "as_of=2025-09-09", "as_of=2025-09-10"),
        statePartitions(tmp.resolve("inc")),
        "the state of the five latest deliveries is kept");

    Files.move(aside, third);
    inc = Metrics.count("marts_incremental");
    long full = Metrics.count("marts_full");
    NightlyRun.run(SparkTestSession.get(), options(landing, tmp.resolve("inc"), key));
    assertEquals(1, Metrics.count("marts_full") - full, "09-03 in full: the state of 09-02 was dropped");
    assertEquals(5, Metrics.count("marts_incremental") - inc, "09-04 to 09-10 recomputed from the carried state");
    assertTrue(Metrics.count("marts_recomputed_late") - late > 0, "late or corrected records sent some students back to their history");
  }

  static List<String> statePartitions(Path wh) throws Exception {
    return new baoxue.warehouse.Warehouse(wh.toString(), SparkTestSession.get().sparkContext().hadoopConfiguration())
        .partitions(Schemas.table("state.students").path()).stream().sorted().toList();
  }

  static NightlyRun.Options options(Path landing, Path wh, Pseudonym key) {
    return new NightlyRun.Options(
        landing.toString(), wh.toString(), null, key, Rules.defaults(), new PrintStream(OutputStream.nullOutputStream()));
  }

  /** Every row of every marts.* and state.* table, every as_of, the same in both warehouses. */
  static void assertSameMarts(Path a, Path b) throws Exception {
    assertSameTables(a, b, List.of("marts", "state"));
  }

  /** Every row of every table of these layers, every partition, the same in both warehouses. */
  static void assertSameTables(Path a, Path b, List<String> layers) throws Exception {
    SparkSession spark = SparkTestSession.get();
    Warehouse wa = new Warehouse(a.toString(), spark.sparkContext().hadoopConfiguration());
    Warehouse wb = new Warehouse(b.toString(), spark.sparkContext().hadoopConfiguration());
    List<String> differences = new ArrayList<>();
    int compared = 0;
    for (TableSpec t : Schemas.tables().values()) {
      if (!layers.contains(t.layer())) {
        continue;
      }
      Dataset<Row> x = Tables.read(spark, wa, t).cache();
      Dataset<Row> y = Tables.read(spark, wb, t).cache();
      long n = x.count();
      assertTrue(n > 0 || t.table.equals("marts.watchlist") || !t.layer().equals("marts"), t.table + " has rows");
      for (Row r : x.exceptAll(y).limit(3).collectAsList()) {
        differences.add(t.table + " only incremental: " + r);
      }
      for (Row r : y.exceptAll(x).limit(3).collectAsList()) {
        differences.add(t.table + " only full: " + r);
      }
      assertEquals(n, y.count(), t.table + " rows");
      compared += n;
      x.unpersist();
      y.unpersist();
    }
    assertEquals(List.of(), differences);
    assertTrue(compared > 0);
  }
}
