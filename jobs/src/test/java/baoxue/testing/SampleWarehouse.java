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
 * The repository's sample (samples/landing) run once through the whole nightly pipeline per
 * test JVM, into a temporary warehouse every test class can read (never write).
 */
public final class SampleWarehouse {
  public static final Path SAMPLE = Paths.get(System.getProperty("baoxue.sample", "../samples/landing"));
  public static final Pseudonym KEY = new Pseudonym("testkey");
  private static Path root;
  private static String output;

  private SampleWarehouse() {}

  /**
   * The warehouse directory, built on first use. With {@code baoxue.sampleCache} set (the build
   * sets it to {@code target/sample-warehouse} of the project), the warehouse is kept there under a
   * hash of everything that could change it (the sources of jobs and schemas, pipelines/, the
   * sample), so the publication tests in charts/ read the warehouse the jobs tests built instead of
   * running the sample a second time. A half-built entry (no {@code COMPLETE} marker) is rebuilt.
   */
  public static synchronized Path root() throws Exception {
    if (root == null) {
      if (!Files.isDirectory(SAMPLE)) {
        throw new IllegalStateException("the shared sample is needed at " + SAMPLE);
      }
      String cache = System.getProperty("baoxue.sampleCache");
      Path dir;
      if (cache == null || cache.isBlank()) {
        dir = Files.createTempDirectory("baoxue-sample-");
      } else {
        Path project = Paths.get(cache).toAbsolutePath().getParent().getParent();
        dir = Paths.get(cache).resolve(fingerprint(project));
        if (Files.exists(dir.resolve("COMPLETE"))) {
          output = Files.readString(dir.resolve("output.txt"));
          root = dir.resolve("wh");
          Files.writeString(Paths.get(cache).resolve("current"), dir.toAbsolutePath() + "\n"); // for the Airflow tests in dags/tests
          return root;
        }
        org.apache.commons.io.FileUtils.deleteDirectory(dir.toFile());
        Files.createDirectories(dir);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      NightlyRun.run(
          SparkTestSession.get(),
          new NightlyRun.Options(
              SAMPLE.toString(), dir.resolve("wh").toString(), null, KEY, Rules.defaults(), new PrintStream(out, true, StandardCharsets.UTF_8)));
      output = out.toString(StandardCharsets.UTF_8);
      root = dir.resolve("wh");
      if (cache != null && !cache.isBlank()) {
        Files.writeString(dir.resolve("output.txt"), output);
        Files.writeString(dir.resolve("COMPLETE"), "");
        Files.writeString(Paths.get(cache).resolve("current"), dir.toAbsolutePath() + "\n");
      }
    }
    return root;
  }

  /** SHA-256 over the paths and bytes of every file that can change the sample warehouse. */
  static String fingerprint(Path project) throws Exception {
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    for (Path base : new Path[] {project.resolve("jobs/src/main"), project.resolve("schemas"), project.resolve("pipelines"), SAMPLE}) {
      if (!Files.isDirectory(base)) {
        continue;
      }
      try (java.util.stream.Stream<Path> files = Files.walk(base)) {
        for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/target/")).sorted().toList()) {
          md.update(base.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
          md.update(Files.readAllBytes(f));
        }
      }
    }
    return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
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
