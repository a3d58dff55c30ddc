package baoxue.schema;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loads the declared schemas. The declarations live once, in the top-level schemas/ folder. */
public final class Schemas {
  /** Extract kinds in the order a delivery is processed: schools first, so codes are known. */
  public static final List<String> KINDS =
      List.of("schools", "calendar", "students", "attendance", "changes", "interventions", "inspections");

  /** Warehouse tables declared in schemas/warehouse (file names without .yaml). */
  public static final List<String> TABLE_FILES = List.of("core", "marts", "state", "ops", "restricted");

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private static volatile Map<String, ExtractSpec> extracts;
  private static volatile Map<String, TableSpec> tables;

  private Schemas() {}

  public static Map<String, ExtractSpec> extracts() {
    if (extracts == null) {
      Map<String, ExtractSpec> m = new LinkedHashMap<>();
      for (String k : KINDS) {
        ExtractSpec spec = read("baoxue/schemas/extracts/" + k + ".yaml", ExtractSpec.class);
        if (!k.equals(spec.kind)) {
          throw new IllegalStateException("schemas/extracts/" + k + ".yaml declares kind " + spec.kind);
        }
        m.put(k, spec);
      }
      extracts = m;
    }
    return extracts;
  }

  public static ExtractSpec extract(String kind) {
    ExtractSpec s = extracts().get(kind);
    if (s == null) {
      throw new IllegalArgumentException("unknown extract kind: " + kind);
    }
    return s;
  }

  public static Map<String, TableSpec> tables() {
    if (tables == null) {
      Map<String, TableSpec> m = new LinkedHashMap<>();
      for (String f : TABLE_FILES) {
        TableList list = read("baoxue/schemas/warehouse/" + f + ".yaml", TableList.class);
        for (TableSpec t : list.tables) {
          if (m.put(t.table, t) != null) {
            throw new IllegalStateException("table declared twice: " + t.table);
          }
        }
      }
      tables = m;
    }
    return tables;
  }

  public static TableSpec table(String name) {
    TableSpec t = tables().get(name);
    if (t == null) {
      throw new IllegalArgumentException("undeclared warehouse table: " + name);
    }
    return t;
  }

  /**
   * The staged table of an extract kind, derived from its declaration: student_key instead of the
   * student number, the analyst-zone columns typed, student-number lists as key lists, the
   * students' birth year, the source file and line, partitioned by delivery date.
   */
  public static TableSpec staged(String kind) {
    ExtractSpec e = extract(kind);
    TableSpec t = new TableSpec();
    t.table = "staged." + kind;
    t.comment = "暂存层：" + e.title + "（逐次交付，类型化、已校验，与抽取一一对应）";
    t.partitionBy = List.of("delivery_date");
    t.columns = new ArrayList<>();
    if (e.hasStudentNo()) {
      t.columns.add(col("student_key", "string", false, "学生假名键（HMAC-SHA256 前 16 位）"));
    }
    for (ColumnSpec c : e.columns) {
      if (c.restricted()) {
        if (c.type.equals("student_no_list")) {
          t.columns.add(col(c.name.replace("_nos", "_keys"), "array<string>", true, c.comment));
        } else if (c.name.equals("birth_date")) {
          t.columns.add(col("birth_year", "int", !c.required, "出生年份"));
        }
        continue;
      }
      t.columns.add(col(c.name, c.logicalType(), !c.required, c.comment));
    }
    t.key = stagedKey(e);
    addSource(t);
    return t;
  }

  /** The restricted-zone part of a kind's staged rows: key, student number and personal columns. */
  public static TableSpec restrictedStaged(String kind) {
    ExtractSpec e = extract(kind);
    TableSpec t = new TableSpec();
    t.table = "restricted.staged_" + kind;
    t.comment = "受限区：" + e.title + "的个人信息与自由文本";
    t.partitionBy = List.of("delivery_date");
    t.columns = new ArrayList<>();
    t.key = stagedKey(e);
    if (e.hasStudentNo()) {
      t.columns.add(col("student_key", "string", false, "学生假名键"));
    }
    for (String k : t.key) {
      if (!k.equals("student_key")) {
        ColumnSpec c = e.column(k).orElseThrow();
        t.columns.add(col(c.name, c.logicalType(), false, c.comment));
      }
    }
    for (ColumnSpec c : e.columns) {
      if (c.restricted()) {
        t.columns.add(col(c.name, c.logicalType(), !c.required, c.comment));
      }
    }
    addSource(t);
    return t;
  }

  /** Restricted columns other than the student number: rows without any are not kept there. */
  public static boolean hasRestrictedPayload(String kind) {
    return extract(kind).columns.stream().anyMatch(c -> c.restricted() && !c.type.equals("student_no"));
  }

  private static List<String> stagedKey(ExtractSpec e) {
    List<String> k = new ArrayList<>();
    for (String c : e.key) {
      k.add(c.equals("student_no") ? "student_key" : c);
    }
    return k;
  }

  private static void addSource(TableSpec t) {
    t.columns.add(col("source_file", "string", false, "来源文件"));
    t.columns.add(col("source_line", "int", false, "来源行号"));
    t.columns.add(col("delivery_date", "date", false, "交付日期"));
  }

  private static TableSpec.Column col(String name, String type, boolean nullable, String comment) {
    TableSpec.Column c = new TableSpec.Column();
    c.name = name;
    c.type = type;
    c.nullable = nullable;
    c.comment = comment;
    return c;
  }

  private static <T> T read(String resource, Class<T> type) {
    try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema resource missing: " + resource);
      }
      return YAML.readValue(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema " + resource, e);
    }
  }

  /** The YAML shape of a warehouse schema file. */
  public static final class TableList {
    public List<TableSpec> tables = new ArrayList<>();
  }
}
