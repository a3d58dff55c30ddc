package baoxue.testing;

import baoxue.marts.Rules;
import baoxue.pipeline.NightlyRun;
import baoxue.privacy.Pseudonym;
import baoxue.warehouse.Warehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The shared sample (../shared/sample/landing) run once through the whole nightly pipeline per
 * test JVM, into a temporary warehouse every test class can read (never write).
 */
public final class SampleWarehouse {
  public static final Path SAMPLE = Paths.get(System.getProperty("baoxue.sample", "../../shared/sample/landing"));
  public static final Pseudonym KEY = new Pseudonym("testkey");
  private static Path root;
  private static String output;

  private SampleWarehouse() {}

  /** The warehouse directory (built on first use). */
  public static synchronized Path root() throws Exception {
    if (root == null) {
      if (!Files.isDirectory(SAMPLE)) {
        throw new IllegalStateException("the shared sample is needed at " + SAMPLE);
      }
      Path dir = Files.createTempDirectory("baoxue-sample-");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      NightlyRun.run(
          SparkTestSession.get(),
          new NightlyRun.Options(
              SAMPLE.toString(), dir.resolve("wh").toString(), null, KEY, Rules.defaults(), new PrintStream(out, true, StandardCharsets.UTF_8)));
      output = out.toString(StandardCharsets.UTF_8);
      root = dir.resolve("wh");
    }
    return root;
  }

  /** What the run printed. */
  public static synchronized String output() throws Exception {
    root();
    return output;
  }

  public static Warehouse warehouse() throws Exception {
    return new Warehouse(root().toString(), SparkTestSession.get().sparkContext().hadoopConfiguration());
  }

  /** The student_key of a 全国学籍号 under the test key. */
  public static String key(String studentNo) {
    return KEY.studentKey(studentNo);
  }
}
