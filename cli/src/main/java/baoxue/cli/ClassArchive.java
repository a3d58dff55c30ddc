package baoxue.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Class data sharing (AppCDS) for the JVMs that run a night: the classes a night loads (Spark,
 * Hadoop, Parquet, our code — about 20,000) are mapped from an archive instead of being read from
 * about 250 jars, verified and parsed again by every run. Measured on the demo county's one-night
 * run (docs/performance.md): about 5 s of a 57 s run. The archive belongs to one class path with
 * its jars as they are: its name is a hash of the entries, their sizes and modification times, so
 * a rebuild simply gets a new one. It is written by the first {@code run} child started with
 * {@link #DUMP} (beside the final name, moved over it when the child ends well, see
 * {@link #publish}); a class path with a directory on it (classes not in a jar) cannot be archived
 * and runs without. A JVM that cannot map an archive runs without it; its warnings go to stderr.
 * The launcher ({@code ./baoxue}) does the same for its own class path.
 */
final class ClassArchive {
  private ClassArchive() {}

  /** Whether a child may write the archive when it is missing. */
  enum Mode {
    /** Use an archive if there is one; never write one (the bench: a dump would be timed). */
    USE,
    /** Use it, or have this child write it at its exit. */
    DUMP
  }

  static final String DUMP_FLAG = "-XX:ArchiveClassesAtExit=";
  static final String USE_FLAG = "-XX:SharedArchiveFile=";
  /** JVM warnings other than the archive's own (a skipped class, an archive that does not fit: it then runs without) to stderr, never into a command's output. */
  static final List<String> QUIET = List.of("-Xlog:disable", "-Xlog:all=warning,cds*=off:stderr");

  /**
   * The JVM flags for a child on {@code classpath} running {@code args}: nothing when the class
   * path has a directory or no jar of ours to place the archive beside.
   */
  static List<String> flags(String classpath, List<String> args, Mode mode) {
    Path archive = archive(classpath);
    if (archive == null) {
      return List.of();
    }
    String flag;
    if (Files.isRegularFile(archive)) {
      flag = USE_FLAG + archive;
    } else if (mode == Mode.DUMP && !args.isEmpty() && args.get(0).equals("run")) {
      try {
        Files.createDirectories(archive.getParent());
      } catch (IOException e) {
        return List.of(); // nowhere to write it: the child runs without
      }
      flag = DUMP_FLAG + archive + "." + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tmp";
    } else {
      return List.of();
    }
    List<String> f = new ArrayList<>(QUIET);
    f.add(flag);
    return f;
  }

  /**
   * After a child of {@code command} ended with {@code exitCode}: the archive it wrote becomes the
   * class path's archive (an atomic move; a child killed or failed leaves none, or one that is
   * removed).
   */
  static void publish(List<String> command, int exitCode) throws IOException {
    for (String a : command) {
      if (a.startsWith(DUMP_FLAG)) {
        Path tmp = Path.of(a.substring(DUMP_FLAG.length()));
        String name = tmp.getFileName().toString();
        Path target = tmp.resolveSibling(name.substring(0, name.indexOf(".jsa.") + 4));
        if (exitCode == 0 && Files.isRegularFile(tmp) && !Files.exists(target)) {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** Where the archive of this class path lives: beside our cli jar, named by the jars' hash. */
  static Path archive(String classpath) {
    Path home = null;
    StringBuilder key = new StringBuilder();
    for (String e : classpath.split(File.pathSeparator)) {
      if (e.isBlank()) {
        continue;
      }
      File f = new File(e);
      if (!f.isFile() || !e.endsWith(".jar")) {
        return null; // a directory (or a missing entry) on the path: not archivable
      }
      if (f.getName().equals("baoxue-cli.jar")) {
        home = f.toPath().toAbsolutePath().getParent().resolve("cds");
      }
      // the launcher computes the same key with stat -c '%n|%s|%Y' (size, modification time in seconds)
      key.append(f.getAbsolutePath()).append('|').append(f.length()).append('|').append(f.lastModified() / 1000).append('\n');
    }
    if (home == null) {
      return null;
    }
    return home.resolve(sha1(key.toString()).substring(0, 16) + ".jsa");
  }

  private static String sha1(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
