package baoxue.schema;

import java.io.Serializable;
import java.util.List;

/** A warehouse table (staged, core, marts, restricted) as declared in schemas/warehouse/*.yaml. */
public final class TableSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Layer-qualified name, e.g. {@code core.attendance}. */
  public String table;
  public String comment;
  public List<String> key = List.of();
  public List<String> partitionBy = List.of();
  public List<Column> columns;

  public String layer() {
    return table.substring(0, table.indexOf('.'));
  }

  public String name() {
    return table.substring(table.indexOf('.') + 1);
  }

  /** Relative directory of the table inside the warehouse. */
  public String path() {
    return layer() + "/" + name();
  }

  public static final class Column implements Serializable {
    private static final long serialVersionUID = 1L;
    public String name;
    /** string, date, int, long, double, boolean, array&lt;string&gt;. */
    public String type;
    public boolean nullable = true;
    public String comment;
  }
}
