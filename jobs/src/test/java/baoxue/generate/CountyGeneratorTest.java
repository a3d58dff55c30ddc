package baoxue.generate;

import static org.junit.jupiter.api.Assertions.*;

import baoxue.pipeline.NightlyRun;
import baoxue.privacy.Pseudonym;
import baoxue.schema.Schemas;
import baoxue.spark.Tables;
import baoxue.testing.SparkTestSession;
import baoxue.warehouse.Warehouse;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator is deterministic and what it writes loads, bad rows quarantined. */
class CountyGeneratorTest {
  @TempDir Path tmp;

  static String digest(Path dir) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        md.update(dir.relativize(p).toString().getBytes());
        md.update(Files.readAllBytes(p));
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @Test
  void sameSeedSameFiles() throws Exception {
    LocalDate a = LocalDate.of(2025, 9, 1);
    LocalDate b = LocalDate.of(2025, 9, 30);
    new CountyGenerator(7, 9, 120, a, b).write(tmp.resolve("x"), null);
    new CountyGenerator(7, 9, 120, a, b).write(tmp.resolve("y"), null);
    new CountyGenerator(8, 9, 120, a, b).write(tmp.resolve("z"), null);
    assertEquals(digest(tmp.resolve("x")), digest(tmp.resolve("y")));
    assertNotEquals(digest(tmp.resolve("x")), digest(tmp.resolve("z")));
  }

  /** Clean mode (for benchmarks): the contract's plain form only; the same students and stories. */
  @Test
  void cleanModeWritesOnlyThePlainForm() throws Exception {
    LocalDate a = LocalDate.of(2025, 9, 1);
    LocalDate b = LocalDate.of(2025, 9, 30);
    Path clean = tmp.resolve("clean");
    CountyGenerator.Stats st = new CountyGenerator(7, 12, 120, a, b).clean(true).write(clean, null);
    int late = 0;
    try (Stream<Path> s = Files.walk(clean)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(p);
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF, "no BOM: " + p);
        assertFalse(text.contains("\r"), "LF only: " + p);
        java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)); // throws unless UTF-8
        assertFalse(text.matches("(?s).*\\b20\\d\\d/\\d{1,2}/\\d{1,2}\\b.*"), "ISO dates only: " + p);
        String name = p.getFileName().toString();
        if (name.startsWith("attendance_")) {
          assertTrue(text.startsWith("全国学籍号,学校标识码,日期,状态,备注\n"), p.toString());
          assertFalse(text.contains(",缺席,"), "no bad rows: " + p);
          late += name.matches("attendance_\\d+_\\d{8}\\.csv") ? 1 : 0;
        }
        if (name.startsWith("students_")) {
          assertTrue(text.startsWith("全国学籍号,姓名,性别,出生日期,身份证件号,学校标识码,年级"), p.toString());
        }
      }
    }
    assertTrue(late > 0, "late files are content, not format: they stay");
    assertEquals(new CountyGenerator(7, 12, 120, a, b).write(tmp.resolve("messy"), null).students(), st.students());
  }

  @Test
  void aGeneratedCountyLoads() throws Exception {
    Path landing = tmp.resolve("landing");
    CountyGenerator.Stats st = new CountyGenerator(3, 9, 80, LocalDate.of(2025, 9, 1), LocalDate.of(2025, 9, 12)).write(landing, null);
    assertEquals(10, st.deliveries());
    Path whPath = tmp.resolve("wh");
    NightlyRun.Summary s = NightlyRun.run(SparkTestSession.get(),
        new NightlyRun.Options(landing.toString(), whPath.toString(), null, new Pseudonym("k"), baoxue.marts.Rules.defaults(), new PrintStream(OutputStream.nullOutputStream())));
    assertEquals(10, s.processed());
    Warehouse wh = new Warehouse(whPath.toString(), SparkTestSession.get().sparkContext().hadoopConfiguration());
    long core = Tables.read(SparkTestSession.get(), wh, Schemas.table("core.attendance")).count();
    assertTrue(core > 0.9 * st.attendanceRows(), core + " of " + st.attendanceRows());
    List<Row> reasons = Tables.read(SparkTestSession.get(), wh, Schemas.table("ops.quarantine")).select("reason").distinct().collectAsList();
    for (Row r : reasons) {
      assertTrue(r.getString(0).startsWith("「状态」「缺席」"), "only the planted bad rows are quarantined: " + r);
    }
    assertEquals(0, Tables.read(SparkTestSession.get(), wh, Schemas.table("ops.ingest_log")).where("file_rejected").count());
  }
}
