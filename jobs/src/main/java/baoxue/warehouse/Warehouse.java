package baoxue.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * A warehouse directory: layers as folders ({@code staged/}, {@code core/}, {@code ops/},
 * {@code restricted/}, later {@code marts/}), run state in {@code _state/} and transactions in
 * {@code _txn/}. Paths go through Hadoop's FileSystem so a province can put it on HDFS.
 */
public final class Warehouse {
  private final Path root;
  private final FileSystem fs;

  public Warehouse(String root, Configuration conf) {
    try {
      Path p = new Path(root);
      this.fs = p.getFileSystem(conf);
      this.root = fs.makeQualified(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path root() {
    return root;
  }

  public FileSystem fs() {
    return fs;
  }

  public Path path(String relative) {
    return new Path(root, relative);
  }

  /** Creates the layer folders; the restricted zone is owner-only (0700). */
  public void init() throws IOException {
    for (String d : List.of("staged", "core", "marts", "ops", "_state/deliveries")) {
      fs.mkdirs(path(d));
    }
    for (String d : List.of("restricted", "_txn", "_state")) {
      fs.mkdirs(path(d));
      fs.setPermission(path(d), new FsPermission((short) 0700));
    }
  }

  public boolean exists(String relative) throws IOException {
    return fs.exists(path(relative));
  }

  public String readString(String relative) throws IOException {
    try (var in = fs.open(path(relative))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public void writeString(Path p, String content) throws IOException {
    try (FSDataOutputStream out = fs.create(p, true)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
      out.hsync();
    } catch (org.apache.hadoop.fs.FSError e) {
      // Hadoop's local file system reports a full disk as an Error: an I/O failure like any other, naming the file
      throw new IOException(p.toUri().getPath() + " (" + e.getMessage() + ")", e);
    }
  }

  /** Names of the entries of a folder (empty if it does not exist), sorted. */
  public List<String> list(String relative) throws IOException {
    List<String> out = new ArrayList<>();
    Path p = path(relative);
    if (!fs.exists(p)) {
      return out;
    }
    for (FileStatus s : fs.listStatus(p)) {
      out.add(s.getPath().getName());
    }
    out.sort(null);
    return out;
  }

  /** Partition directories ({@code name=value}) of a table that hold data. */
  public List<String> partitions(String tablePath) throws IOException {
    List<String> out = new ArrayList<>();
    for (String n : list(tablePath)) {
      if (n.contains("=") && !n.startsWith("_") && !n.startsWith(".")) {
        out.add(n);
      }
    }
    return out;
  }
}
