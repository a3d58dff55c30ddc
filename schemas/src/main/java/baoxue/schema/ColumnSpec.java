package baoxue.schema;

import java.io.Serializable;
import java.util.List;

/** One column of an extract as the contract declares it: Chinese header, English name, type and rules. */
public final class ColumnSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The Chinese header as delivered. */
  public String header;
  /** The English column name used from the staged layer on. */
  public String name;
  /**
   * Cell type: text, code, date, bool, enum, count, grade, class_label, school_code, student_no,
   * id_number, student_no_list.
   */
  public String type;
  public boolean required;
  /** {@code analyst} (default) or {@code restricted}: restricted values never leave the restricted zone. */
  public String zone = "analyst";
  /** The school code must be known to a schools delivery. */
  public boolean knownSchool;
  /** Dates may lie after the delivery date (calendars announce the term ahead). */
  public boolean futureAllowed;
  /** Allowed values of an enum. */
  public List<String> values;
  /** English code of each enum value, used from the core layer on (e.g. 旷课 → unexcused). */
  public java.util.Map<String, String> codes;
  /** Chinese description, shown in docs and DuckDB comments. */
  public String comment;

  /** The warehouse type of the parsed value: string, int, date or boolean. */
  public String logicalType() {
    switch (type) {
      case "date":
        return "date";
      case "bool":
        return "boolean";
      case "count":
      case "grade":
        return "int";
      default:
        return "string";
    }
  }

  public boolean restricted() {
    return "restricted".equals(zone);
  }
}
