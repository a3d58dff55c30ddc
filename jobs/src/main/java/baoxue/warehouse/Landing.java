package baoxue.warehouse;

import baoxue.schema.ExtractSpec;
import baoxue.schema.Schemas;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The landing area: one folder per delivery, named YYYY-MM-DD, holding CSV extracts. */
public final class Landing {
  private final Path root;
  private final FileSystem fs;

  /** A delivered file: its name, size, modification time. */
  public record DeliveredFile(String name, String kind, long size, long modified, String uri) {}

  /** A delivery folder that is not named like a date, reported and skipped. */
  public record Skipped(String name, String reason) {}

  public Landing(String root, Configuration conf) throws IOException {
    Path p = new Path(root);
    this.fs = p.getFileSystem(conf);
    this.root = fs.makeQualified(p);
    if (!fs.exists(this.root) || !fs.getFileStatus(this.root).isDirectory()) {
      throw new IOException("交付目录不存在：" + root);
    }
  }

  public Path root() {
    return root;
  }

  /** Delivery dates, sorted, and the folders skipped with a reason. */
  public List<LocalDate> deliveries(List<Skipped> skipped) throws IOException {
    List<LocalDate> out = new ArrayList<>();
    for (FileStatus s : fs.listStatus(root)) {
      String n = s.getPath().getName();
      if (n.startsWith(".")) {
        continue;
      }
      if (!s.isDirectory()) {
        skipped.add(new Skipped(n, "不是交付文件夹（交付应放在以日期命名的文件夹中）"));
        continue;
      }
      Optional<LocalDate> d = parseFolder(n);
      if (isLink(s)) {
        // a delivery is what the schools put here, not what a link points to (another county, /etc)
        skipped.add(new Skipped(n, "是符号链接，不跟随；交付必须是真实的文件夹"));
      } else if (d.isEmpty()) {
        skipped.add(new Skipped(n, "文件夹名不是 YYYY-MM-DD 日期，已跳过"));
      } else {
        out.add(d.get());
      }
    }
    out.sort(null);
    return out;
  }

  static Optional<LocalDate> parseFolder(String n) {
    if (!n.matches("\\d{4}-\\d{2}-\\d{2}")) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(n));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The kind a file name belongs to ({@code attendance_1.csv} → attendance), or null. */
  public static String kindOf(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    if (!n.endsWith(".csv")) {
      return null;
    }
    for (ExtractSpec e : Schemas.extracts().values()) {
      if (n.startsWith(e.filePrefix)) {
        return e.kind;
      }
    }
    return null;
  }

  /** Every regular file of a delivery (symlinks and folders are not followed), sorted by name. */
  public List<DeliveredFile> files(LocalDate d) throws IOException {
    List<DeliveredFile> out = new ArrayList<>();
    Path dir = new Path(root, d.toString());
    for (FileStatus s : fs.listStatus(dir)) {
      String n = s.getPath().getName();
      if (n.startsWith(".")) {
        continue;
      }
      boolean link = isLink(s);
      String kind = s.isFile() && !link ? kindOf(n) : null;
      out.add(new DeliveredFile(n, link ? "symlink" : s.isDirectory() ? "folder" : kind, s.getLen(),
          s.getModificationTime(), s.getPath().toString()));
    }
    out.sort((a, b) -> a.name().compareTo(b.name()));
    return out;
  }

  /** A symbolic link (Hadoop's local listing follows links, so the local path is asked too). */
  private static boolean isLink(FileStatus s) {
    return s.isSymlink() || java.nio.file.Files.isSymbolicLink(localPath(s.getPath()));
  }

  private static java.nio.file.Path localPath(Path p) {
    try {
      return "file".equals(p.toUri().getScheme()) ? java.nio.file.Paths.get(p.toUri()) : java.nio.file.Paths.get("/nonexistent");
    } catch (RuntimeException e) {
      return java.nio.file.Paths.get("/nonexistent");
    }
  }

  /** SHA-256 of one file's bytes. */
  public String sha256(DeliveredFile f) throws IOException {
    try (InputStream in = fs.open(new Path(f.uri()))) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
