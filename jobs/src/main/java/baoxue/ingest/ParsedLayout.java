package baoxue.ingest;

import baoxue.schema.ColumnSpec;
import baoxue.schema.ExtractSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout of what the parser emits for one extract kind, before the staged / restricted split:
 * bookkeeping columns, the student_key, every declared column typed, and the key lists of
 * student-number-list columns. One record per data row plus one {@code file} record per file.
 */
public final class ParsedLayout {
  public static final String RECORD = "_record";
  public static final String FILE = "_file";
  public static final String LINE = "_line";
  public static final String ERROR = "_error";
  public static final String WARNINGS = "_warnings";
  public static final String ENCODING = "_encoding";
  public static final String RAW = "_raw";
  public static final String STUDENT_KEY = "student_key";

  /** A column of the layout with its logical type (string, int, date, boolean, array&lt;string&gt;). */
  public record Field(String name, String type) {}

  private ParsedLayout() {}

  public static List<Field> fields(ExtractSpec spec) {
    List<Field> f = new ArrayList<>();
    f.add(new Field(RECORD, "string"));
    f.add(new Field(FILE, "string"));
    f.add(new Field(LINE, "int"));
    f.add(new Field(ERROR, "string"));
    f.add(new Field(WARNINGS, "array<string>"));
    f.add(new Field(ENCODING, "string"));
    f.add(new Field(RAW, "string"));
    f.add(new Field(STUDENT_KEY, "string"));
    for (ColumnSpec c : spec.columns) {
      f.add(new Field(c.name, c.logicalType()));
    }
    for (ColumnSpec c : spec.columns) {
      if (c.type.equals("student_no_list")) {
        f.add(new Field(keysColumn(c), "array<string>"));
      }
    }
    return f;
  }

  /** The analyst-zone column holding the student_keys of a student-number list. */
  public static String keysColumn(ColumnSpec c) {
    return c.name.replace("_nos", "_keys");
  }
}
