package baoxue.jobs.marts;

import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.*;

import baoxue.analyst.AnalystDb;
import baoxue.analyst.SqlRunner;
import baoxue.generate.CountyGenerator;
import baoxue.marts.Rules;
import baoxue.pipeline.NightlyRun;
import baoxue.privacy.Pseudonym;
import baoxue.schema.Schemas;
import baoxue.schema.TableSpec;
import baoxue.spark.Tables;
import baoxue.testing.SampleWarehouse;
import baoxue.testing.SparkTestSession;
import baoxue.warehouse.DeliveryState;
import baoxue.warehouse.Warehouse;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots on dates without a delivery (issue 18): the one an analyst asks for, read back through
 * the analysts' views with the sample's story of 2025-10-04 (the National Day holiday), and the
 * month ends the nightly run computes by itself — each exactly what a run for that day would have
 * seen, untouched by the deliveries after it, and computed again only when something it was built
 * from changed.
 */
class SnapshotsTest {
  @TempDir Path tmp;

  static final LocalDate HOLIDAY = LocalDate.parse("2025-10-04");

  @Test
  void asOf1004OnTheHolidayS3IsNotYetADropoutAndS7NotYetSuspected() throws Exception {
    Path wh = tmp.resolve("wh");
    FileUtils.copyDirectory(SampleWarehouse.root().toFile(), wh.toFile());
    SparkSession spark = SparkTestSession.get();
    Warehouse w = new Warehouse(wh.toString(), spark.sparkContext().hadoopConfiguration());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    assertTrue(Snapshots.request(spark, w, Rules.defaults(), HOLIDAY, new PrintStream(log, true, StandardCharsets.UTF_8)));
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("快照 2025-10-04"), log.toString(StandardCharsets.UTF_8));
    AnalystDb.rebuild(wh);

    String s2 = SampleWarehouse.key("G34132220100302103X");
    String s3 = SampleWarehouse.key("G341322201208111047");
    String s6 = SampleWarehouse.key("G34132220140407110X");
    String s7 = SampleWarehouse.key("G341322201006301133");
    assertEquals(List.of(List.of(s2)), SqlRunner.query(wh, "SELECT student_key FROM cohort WHERE as_of = DATE '2025-10-04' AND is_dropout").rows(),
        "S3's transfer has been pending 29 days: only S2 is a dropout");
    assertEquals(
        List.of(List.of("transfer_pending", "2025-10-09")),
        SqlRunner.query(wh, "SELECT any_value(dropout_event), CAST(min(as_of) AS VARCHAR) FROM cohort WHERE as_of >= DATE '2025-10-04' AND is_dropout AND student_key = '" + s3 + "'").rows(),
        "S3 is one from the 30th day (10-05), seen by the first delivery after the holiday");
    assertEquals(List.of(List.of(s6)), SqlRunner.query(wh, "SELECT student_key FROM watchlist WHERE as_of = DATE '2025-10-04' AND kind = 'suspected_dropout'").rows(),
        "S7's alert (from 09-25) is not yet 15 days old");
    assertEquals(List.of(List.of(s7, "open", false)),
        SqlRunner.query(wh, "SELECT student_key, resolution, overdue FROM alerts WHERE as_of = DATE '2025-10-04' AND streak_start = DATE '2025-09-25'").rows());
    assertEquals(11L, ((Number) SqlRunner.query(wh, "SELECT sum(base_enrollment) FROM indicators WHERE as_of = DATE '2025-10-04' AND group_name = 'all'").rows().get(0).get(0)).longValue());
    for (TableSpec t : Schemas.tables().values()) {
      if (t.layer().equals("marts") && !t.table.equals("marts.watchlist")) {
        assertTrue(Files.isDirectory(wh.resolve(t.path()).resolve("as_of=" + HOLIDAY)), t.table + " has the snapshot");
      }
    }

    // asked again, and after a night with nothing new: nothing is computed, the files stay
    Path cohort = wh.resolve(Schemas.table("marts.cohort").path()).resolve("as_of=" + HOLIDAY);
    long before = Files.getLastModifiedTime(cohort).toMillis();
    assertFalse(Snapshots.request(spark, w, Rules.defaults(), HOLIDAY, new PrintStream(OutputStream.nullOutputStream())));
    NightlyRun.run(spark, new NightlyRun.Options(SampleWarehouse.SAMPLE.toString(), wh.toString(), null, SampleWarehouse.KEY, Rules.defaults(), new PrintStream(OutputStream.nullOutputStream())));
    assertEquals(before, Files.getLastModifiedTime(cohort).toMillis());
    assertTrue(Snapshots.load(w, HOLIDAY).requested);

    // other rules: the next run computes it again with them
    Rules zero = Rules.defaults().withProfile("zero");
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    assertEquals(List.of(HOLIDAY), Snapshots.refresh(spark, w, zero, new PrintStream(again, true, StandardCharsets.UTF_8)));
    assertEquals(zero.fingerprint(), Snapshots.load(w, HOLIDAY).martsFingerprint);

    // a delivery day, and days outside the deliveries, are refused or already there
    assertFalse(Snapshots.request(spark, w, Rules.defaults(), LocalDate.parse("2025-10-17"), new PrintStream(OutputStream.nullOutputStream())));
    IllegalArgumentException after =
        assertThrows(IllegalArgumentException.class, () -> Snapshots.request(spark, w, Rules.defaults(), LocalDate.parse("2025-10-18"), System.out));
    assertTrue(after.getMessage().contains("2025-09-01 至 2025-10-17"), after.getMessage());
  }

  @Test
  void monthEndsWithoutADeliveryBetweenTheFirstAndTheLastDelivery() {
    TreeMap<LocalDate, DeliveryState> built = new TreeMap<>();
    for (String d : List.of("2025-09-29", "2025-09-30", "2025-10-09", "2025-11-28", "2025-12-01", "2026-01-30")) {
      built.put(LocalDate.parse(d), new DeliveryState());
    }
    assertEquals(List.of(LocalDate.parse("2025-10-31"), LocalDate.parse("2025-11-30"), LocalDate.parse("2025-12-31")), Snapshots.monthEnds(built),
        "09-30 is a delivery; 01-31 is after the last delivery");
  }

  /**
   * A generated county over the end of November (11-30 is a Sunday): the night of 12-01 computes
   * the snapshot of 11-30, and it is row for row what the marts computed as of 11-30 from a
   * warehouse that has only the deliveries up to 11-28 — the later deliveries do not leak into it.
   */
  @Test
  void theNightAfterAMonthEndComputesItsSnapshotFromTheDeliveriesUpToIt() throws Exception {
    Path landing = tmp.resolve("landing");
    new CountyGenerator(5, 2, 40, LocalDate.of(2025, 11, 28), LocalDate.of(2025, 12, 1)).write(landing, null);
    Pseudonym key = new Pseudonym("k");
    SparkSession spark = SparkTestSession.get();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    NightlyRun.run(spark, new NightlyRun.Options(landing.toString(), tmp.resolve("all").toString(), null, key, Rules.defaults(), new PrintStream(log, true, StandardCharsets.UTF_8)));
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("快照 2025-11-30（月末"), log.toString(StandardCharsets.UTF_8));
    NightlyRun.run(spark, new NightlyRun.Options(landing.toString(), tmp.resolve("upto").toString(), LocalDate.of(2025, 11, 28), key, Rules.defaults(), new PrintStream(OutputStream.nullOutputStream())));

    LocalDate end = LocalDate.of(2025, 11, 30);
    Warehouse all = new Warehouse(tmp.resolve("all").toString(), spark.sparkContext().hadoopConfiguration());
    Warehouse upto = new Warehouse(tmp.resolve("upto").toString(), spark.sparkContext().hadoopConfiguration());
    assertFalse(Files.exists(tmp.resolve("upto").resolve(Snapshots.path(end))), "11-30 is not yet over for a warehouse whose last delivery is 11-28");
    AsOfInputs in = AsOfInputs.read(spark, upto, end, LocalDate.of(2025, 11, 28));
    Map<String, Dataset<Row>> expected = Marts.compute(in, SequenceFacts.full(in), Rules.defaults());
    List<String> differences = new ArrayList<>();
    long rows = 0;
    for (Map.Entry<String, Dataset<Row>> e : expected.entrySet()) {
      TableSpec t = Schemas.table(e.getKey());
      Dataset<Row> want = Tables.conform(e.getValue().withColumn("as_of", lit(end)), t).cache();
      Dataset<Row> got = Tables.read(spark, all, t).where(org.apache.spark.sql.functions.col("as_of").equalTo(lit(end))).cache();
      rows += got.count();
      assertEquals(want.count(), got.count(), t.table);
      for (Row r : want.exceptAll(got).limit(3).collectAsList()) {
        differences.add(t.table + " missing: " + r);
      }
      for (Row r : got.exceptAll(want).limit(3).collectAsList()) {
        differences.add(t.table + " extra: " + r);
      }
    }
    assertEquals(List.of(), differences);
    assertTrue(rows > 0);
    spark.catalog().clearCache();
  }
}
