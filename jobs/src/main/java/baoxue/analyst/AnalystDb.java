package baoxue.analyst;

import baoxue.pipeline.RunStep;
import baoxue.schema.Schemas;
import baoxue.schema.TableSpec;
import baoxue.warehouse.Faults;
import baoxue.warehouse.Warehouse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * The analysts' database {@code <warehouse>/baoxue.duckdb}: views (schemas/analyst/views.yaml)
 * over the Parquet marts, with a Chinese comment on every view and column. Built in a temporary
 * file and renamed over the old one, so a reader sees the old database or the new, never a mix.
 *
 * <p>The views do not read the live marts folders, which the next run's commits change file by
 * file: each build first hard-links every Parquet file the views read into a snapshot
 * {@code _analyst/<build>/} (no bytes copied) and points the views there. A reader of the old
 * database therefore keeps seeing the old marts, whole, while a run publishes new ones; the
 * snapshot of the current and of the previous database are kept, older ones deleted.
 */
public final class AnalystDb implements RunStep {
  public static final String FILE = "baoxue.duckdb";
  /** Snapshots of the marts the database's views read, one per build. */
  public static final String SNAPSHOTS = "_analyst";
  private static final String BUILDING = "_BUILDING";
  private static final Pattern TABLE_REF = Pattern.compile("\\{t:([a-z_]+\\.[a-z_]+)\\}");

  /** A view of the analyst interface. */
  public static final class ViewDef {
    public String name;
    public String comment;
    public String sql;
  }

  /** schemas/analyst/views.yaml. */
  public static final class Views {
    public List<ViewDef> views = new ArrayList<>();
    public Map<String, String> columnComments = new LinkedHashMap<>();
  }

  public static Views views() {
    ObjectMapper yaml =
        new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    try (InputStream in = AnalystDb.class.getClassLoader().getResourceAsStream("baoxue/schemas/analyst/views.yaml")) {
      return yaml.readValue(in, Views.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void run(SparkSession spark, Warehouse wh, PrintStream out) throws Exception {
    if (!"file".equals(wh.root().toUri().getScheme())) {
      out.println("分析库：仓库不在本地文件系统（" + wh.root() + "），跳过 DuckDB 刷新；见 docs/deploy.md。");
      return;
    }
    long t = System.nanoTime();
    Path db = rebuild(Paths.get(wh.root().toUri()));
    out.printf("分析库已更新：%s（%.1f 秒）%n", db, (System.nanoTime() - t) / 1e9);
  }

  /** Rebuilds the database of the warehouse at {@code root}; returns its path. */
  public static Path rebuild(Path root) throws IOException, SQLException {
    Path target = root.resolve(FILE);
    Path snapshots = root.resolve(SNAPSHOTS);
    try (DirectoryStream<Path> old = Files.newDirectoryStream(root, ".baoxue.duckdb.building-*")) {
      for (Path p : old) {
        Files.deleteIfExists(p); // left by a run that crashed while building
      }
    }
    // a sortable, unique build id: the snapshot folder and the temporary file share it
    String id = String.format("%013d-%s", System.currentTimeMillis(), UUID.randomUUID().toString().substring(0, 8));
    Path snapshot = snapshots.resolve(id);
    Files.createDirectories(snapshot);
    Files.createFile(snapshot.resolve(BUILDING));
    Path tmp = root.resolve(".baoxue.duckdb.building-" + id);
    Views v = views();
    for (ViewDef view : v.views) {
      Matcher m = TABLE_REF.matcher(view.sql);
      while (m.find()) {
        linkParquet(Schemas.table(m.group(1)), root, snapshot);
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + tmp);
        Statement s = c.createStatement()) {
      for (ViewDef view : v.views) {
        s.execute("CREATE VIEW " + view.name + " AS " + resolve(view.sql, snapshot));
        s.execute("COMMENT ON VIEW " + view.name + " IS " + quote(view.comment));
        for (String column : columns(s, view.name)) {
          String comment = columnComment(v, view, column);
          if (comment == null) {
            throw new IllegalStateException("视图 " + view.name + " 的列 " + column + " 没有中文注释（schemas/analyst/views.yaml）");
          }
          s.execute("COMMENT ON COLUMN " + view.name + "." + column + " IS " + quote(comment));
        }
      }
      s.execute("CHECKPOINT");
    }
    Faults.point("analyst_db:built");
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(Paths.get(tmp + ".wal"));
    Files.delete(snapshot.resolve(BUILDING));
    dropOldSnapshots(snapshots, id);
    return target;
  }

  /** Hard-links the table's published Parquet files (with their partition folders) into the snapshot. */
  private static void linkParquet(TableSpec t, Path root, Path snapshot) throws IOException {
    Path dir = root.resolve(t.path());
    if (!Files.isDirectory(dir) || Files.exists(snapshot.resolve(t.path()))) {
      return;
    }
    try (var files = Files.walk(dir, t.partitionBy.isEmpty() ? 1 : 2)) {
      for (Path f : (Iterable<Path>) files.filter(AnalystDb::isParquet)::iterator) {
        Path link = snapshot.resolve(t.path()).resolve(dir.relativize(f).toString());
        Files.createDirectories(link.getParent());
        Files.createLink(link, f);
      }
    }
  }

  private static boolean isParquet(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".parquet") && !n.startsWith(".") && Files.isRegularFile(p);
  }

  /**
   * Keeps the snapshot of the database just published and of the one it replaced (a reader may
   * still have that open); deletes older ones and those of builds that crashed.
   */
  private static void dropOldSnapshots(Path snapshots, String current) throws IOException {
    List<String> ids = new ArrayList<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(snapshots)) {
      all.forEach(p -> ids.add(p.getFileName().toString()));
    }
    ids.sort(null);
    String previous = null;
    for (String id : ids) {
      if (id.compareTo(current) < 0 && !Files.exists(snapshots.resolve(id).resolve(BUILDING))) {
        previous = id;
      }
    }
    for (String id : ids) {
      if (!id.equals(current) && !id.equals(previous)) {
        deleteTree(snapshots.resolve(id));
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (var s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }

  private static List<String> columns(Statement s, String view) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("SELECT column_name FROM duckdb_columns() WHERE table_name = " + quote(view) + " ORDER BY column_index")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** The view's own comment for a column, else the comment of a same-named column of a table it reads. */
  static String columnComment(Views v, ViewDef view, String column) {
    if (v.columnComments.containsKey(column)) {
      return v.columnComments.get(column);
    }
    Matcher m = TABLE_REF.matcher(view.sql);
    List<TableSpec> tables = new ArrayList<>();
    while (m.find()) {
      tables.add(Schemas.table(m.group(1)));
    }
    tables.addAll(Schemas.tables().values());
    for (TableSpec t : tables) {
      for (TableSpec.Column col : t.columns) {
        if (col.name.equals(column) && col.comment != null) {
          return col.comment;
        }
      }
    }
    return null;
  }

  /** Replaces each {t:layer.table} with a read of its Parquet files (or an empty typed relation). */
  static String resolve(String sql, Path root) throws IOException {
    Matcher m = TABLE_REF.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(relation(Schemas.table(m.group(1)), root)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String relation(TableSpec t, Path root) throws IOException {
    Path dir = root.resolve(t.path());
    String glob = t.partitionBy.isEmpty() ? "*.parquet" : "*/*.parquet";
    if (!hasParquet(dir, !t.partitionBy.isEmpty())) {
      List<String> cols = new ArrayList<>();
      for (TableSpec.Column c : t.columns) {
        cols.add("CAST(NULL AS " + duckType(c.type) + ") AS " + c.name);
      }
      return "(SELECT " + String.join(", ", cols) + " WHERE false)";
    }
    String path = dir.toAbsolutePath() + "/" + glob;
    if (t.partitionBy.isEmpty()) {
      return "read_parquet(" + quote(path) + ")";
    }
    String part = t.partitionBy.get(0);
    String type = duckType(t.columns.stream().filter(c -> c.name.equals(part)).findFirst().orElseThrow().type);
    return "read_parquet(" + quote(path) + ", hive_partitioning = true, hive_types = {'" + part + "': " + type + "})";
  }

  private static boolean hasParquet(Path dir, boolean partitioned) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var s = Files.walk(dir, partitioned ? 2 : 1)) {
      return s.anyMatch(p -> p.getFileName().toString().endsWith(".parquet") && !p.getFileName().toString().startsWith("."));
    }
  }

  static String duckType(String type) {
    switch (type) {
      case "string":
        return "VARCHAR";
      case "date":
        return "DATE";
      case "int":
        return "INTEGER";
      case "long":
        return "BIGINT";
      case "double":
        return "DOUBLE";
      case "boolean":
        return "BOOLEAN";
      case "array<string>":
        return "VARCHAR[]";
      default:
        throw new IllegalArgumentException(type);
    }
  }

  static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
