package baoxue.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

import baoxue.privacy.Pseudonym;
import baoxue.schema.Schemas;
import baoxue.schema.TableSpec;
import baoxue.spark.SparkTypes;
import baoxue.spark.Tables;
import baoxue.testing.SampleWarehouse;
import baoxue.testing.SparkTestSession;
import baoxue.warehouse.Warehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository's sample (samples/) loads as its README says. */
class SampleDeliveriesTest {
  static final Path SAMPLE = SampleWarehouse.SAMPLE;
  static final Pseudonym KEY = SampleWarehouse.KEY;
  static SparkSession spark;
  static Warehouse wh;
  static String output;

  @BeforeAll
  static void runTheSample() throws Exception {
    spark = SparkTestSession.get();
    output = SampleWarehouse.output();
    wh = SampleWarehouse.warehouse();
  }

  static Dataset<Row> table(String name) throws Exception {
    return Tables.read(spark, wh, Schemas.table(name));
  }

  static Dataset<Row> staged(String kind) throws Exception {
    return Tables.read(spark, wh, Schemas.staged(kind));
  }

  @Test
  void exactlyTheFiveBadRowsAreQuarantinedWithFileLineAndReason() throws Exception {
    List<String> rows = new ArrayList<>();
    for (Row r : table("ops.quarantine").orderBy("delivery_date", "file", "line").collectAsList()) {
      rows.add(r.getAs("delivery_date") + " " + r.getAs("file") + ":" + r.getAs("line") + " " + r.getAs("kind") + " "
          + r.getAs("level") + " " + r.getAs("reason"));
    }
    assertEquals(
        List.of(
            "2025-09-10 2025-09-10/attendance_3412220001.csv:7 attendance row 「日期」「2025-09-31」不是有效日期（应为 YYYY-MM-DD 或 YYYY/M/D）",
            "2025-09-10 2025-09-10/attendance_3412220001.csv:8 attendance row 「状态」「缺席」不是允许的取值（出勤、迟到、早退、病假、事假、旷课）",
            "2025-09-19 2025-09-19/attendance_3412220001.csv:6 attendance row 同一交付中键（全国学籍号、日期）相同而「状态」不同（出勤、旷课），这些行均已隔离",
            "2025-09-19 2025-09-19/attendance_3412220001.csv:7 attendance row 同一交付中键（全国学籍号、日期）相同而「状态」不同（出勤、旷课），这些行均已隔离",
            "2025-09-24 2025-09-24/attendance_3412220001.csv:6 attendance row 「全国学籍号」格式错误（应为 G+18 位身份证号且校验位正确，或 L+18 位字母数字）"),
        rows);
  }

  @Test
  void theGb18030CrlfFileLoads() throws Exception {
    Row log = table("ops.ingest_log").where(col("file").equalTo("2025-09-17/attendance_3412220001.csv")).first();
    assertEquals("GB18030/CRLF", log.getAs("encoding"));
    assertEquals(5L, (long) log.getAs("rows_loaded"));
    assertEquals(0L, (long) log.getAs("rows_quarantined"));
  }

  @Test
  void theCorrectionOfS12ReplacesTheEarlierStatus() throws Exception {
    String s12 = KEY.studentKey("G341322201312091226");
    Row r = table("core.attendance").where(col("student_key").equalTo(s12).and(col("date").equalTo(LocalDate.of(2025, 9, 16)))).first();
    assertEquals("excused", r.getAs("status"));
    assertEquals("病假", r.getAs("status_cn"));
    assertEquals(LocalDate.of(2025, 9, 18), r.getAs("delivery_date"));
    assertEquals(2, staged("attendance").where(col("student_key").equalTo(s12).and(col("date").equalTo(LocalDate.of(2025, 9, 16)))).count(),
        "both versions stay in the staged history");
  }

  @Test
  void everyOtherRowIsInTheCoreTables() throws Exception {
    long attendanceRows = 0;
    try (Stream<Path> files = Files.walk(SAMPLE)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("attendance")).toList()) {
        // counted on bytes: line breaks are ASCII in UTF-8 and GB18030 alike
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        attendanceRows += text.lines().filter(l -> !l.isBlank()).count() - 1;
      }
    }
    assertEquals(attendanceRows - 5, staged("attendance").count());
    assertEquals(attendanceRows - 5 - 1, table("core.attendance").count(), "one key was corrected by a later delivery");
    assertEquals(12 + 11 + 11, table("core.roster").count());
    assertEquals(3, table("core.roster").select("snapshot_date").distinct().count());
    assertEquals(3, table("core.schools").count());
    assertEquals(2, table("core.changes").count());
    assertEquals(11, table("core.interventions").count());
    assertEquals(1, table("core.inspections").count());
    Row insp = table("core.inspections").first();
    assertEquals(List.of(KEY.studentKey("G341322201011111174")), insp.getList(insp.fieldIndex("unseen_student_keys")));
  }

  @Test
  void theCalendarHas31SchoolDaysWithTheMakeUpDays() throws Exception {
    Dataset<Row> cal = table("core.calendar").where(col("date").between(LocalDate.of(2025, 9, 1), LocalDate.of(2025, 10, 17)));
    assertEquals(31, cal.where(col("is_school_day")).count());
    assertTrue(cal.where(col("date").equalTo(LocalDate.of(2025, 9, 28))).first().getBoolean(1), "Sunday 09-28 is a make-up day");
    assertFalse(cal.where(col("date").equalTo(LocalDate.of(2025, 10, 8))).first().getBoolean(1));
  }

  @Test
  void publishedTablesHaveTheirDeclaredSchemasAndUniqueKeys() throws Exception {
    for (TableSpec t : Schemas.tables().values()) {
      if (!t.layer().equals("core")) {
        continue;
      }
      String path = wh.path(t.path()).toString();
      Dataset<Row> raw = spark.read().option("basePath", path).parquet(path);
      for (StructField f : SparkTypes.dataColumns(t).fields()) {
        assertEquals(f.dataType(), raw.schema().apply(f.name()).dataType(), t.table + "." + f.name());
      }
      Dataset<Row> df = table(t.table);
      assertEquals(df.count(), df.select(t.key.stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new)).distinct().count(),
          t.table + " key is unique");
    }
  }

  @Test
  void noNameIdNumberOrStudentNumberOutsideTheRestrictedZone() throws Exception {
    List<String> secrets = new ArrayList<>();
    for (String line : Files.readAllLines(SAMPLE.resolve("2025-09-01/students.csv"))) {
      String[] c = line.split(",");
      if (!c[0].startsWith("G")) {
        continue;
      }
      secrets.addAll(List.of(c[0], c[1], c[4], c[16], c[17]));
    }
    List<TableSpec> open = new ArrayList<>();
    for (String k : Schemas.KINDS) {
      open.add(Schemas.staged(k));
    }
    for (TableSpec t : Schemas.tables().values()) {
      if (!t.layer().equals("restricted")) {
        open.add(t);
      }
    }
    for (TableSpec t : open) {
      for (Row r : Tables.read(spark, wh, t).collectAsList()) {
        String text = r.toString();
        for (String s : secrets) {
          assertFalse(text.contains(s), t.table + " contains personal data");
        }
      }
    }
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(SampleWarehouse.root().resolve("restricted"))));
    Row identity = Tables.read(spark, wh, Schemas.restrictedStaged("students")).where(col("student_no").equalTo("G341322201105141016")).first();
    assertEquals("张小明", identity.getAs("name"));
  }

  @Test
  void progressIsPrintedPerDelivery() {
    assertTrue(output.contains("[31/31] 交付 2025-10-17"), output);
    assertTrue(output.contains("隔离 2 行"), output);
  }
}
