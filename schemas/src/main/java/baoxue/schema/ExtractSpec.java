package baoxue.schema;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/** One extract kind of the contract (docs/spec/extracts.md), loaded from schemas/extracts/*.yaml. */
public final class ExtractSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  public String kind;
  public String title;
  public String filePrefix;
  /** Key columns (English names) within one delivery. */
  public List<String> key;
  /**
   * Columns whose differing values for one key inside one delivery make a conflict (both rows are
   * quarantined). Empty means every analyst-zone column.
   */
  public List<String> conflictColumns = List.of();
  public List<ColumnSpec> columns;

  public Optional<ColumnSpec> column(String name) {
    return columns.stream().filter(c -> c.name.equals(name)).findFirst();
  }

  public boolean hasStudentNo() {
    return column("student_no").isPresent();
  }
}
