package baoxue.spark;

import baoxue.schema.TableSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * The declared key of a table, checked on every write: no key column is null, and no two rows of
 * one partition share a key. The rows reach the writer sorted by partition and key (see
 * {@link Tables}), so a duplicate is always next to its twin and the check is one comparison per
 * row inside the write's own tasks: no extra Spark job, no extra shuffle. A violation fails the
 * write (and with it the step's transaction, so nothing is published) naming the table, the key
 * and its values.
 */
public final class KeyCheck {
  private KeyCheck() {}

  /** Thrown by a write whose rows break the table's key. */
  public static final class Violation extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Violation(String message) {
      super(message);
    }
  }

  /**
   * {@code sorted} with the check applied as its rows stream by. {@code partition}: the partition
   * column the rows are grouped by (null for an unpartitioned table); the rows must be sorted by it
   * and then by the key.
   */
  public static Dataset<Row> checked(Dataset<Row> sorted, TableSpec t, String partition) {
    List<String> key = t.key.stream().filter(k -> !k.equals(partition)).toList();
    if (key.isEmpty()) {
      return sorted;
    }
    List<String> names = Arrays.asList(sorted.columns());
    int[] keyAt = key.stream().mapToInt(names::indexOf).toArray();
    int partAt = partition == null ? -1 : names.indexOf(partition);
    String table = t.table;
    String keyList = String.join(", ", t.key);
    MapPartitionsFunction<Row, Row> f = rows -> new Checking(rows, table, keyList, key, keyAt, partAt, partition);
    return sorted.mapPartitions(f, Encoders.row(sorted.schema()));
  }

  private static final class Checking implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final String table;
    private final String keyList;
    private final List<String> key;
    private final int[] keyAt;
    private final int partAt;
    private final String partition;
    private Object[] previous;

    Checking(Iterator<Row> rows, String table, String keyList, List<String> key, int[] keyAt, int partAt, String partition) {
      this.rows = rows;
      this.table = table;
      this.keyList = keyList;
      this.key = key;
      this.keyAt = keyAt;
      this.partAt = partAt;
      this.partition = partition;
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public Row next() {
      Row r = rows.next();
      Object[] k = new Object[keyAt.length + 1];
      k[0] = partAt < 0 ? null : r.get(partAt);
      for (int i = 0; i < keyAt.length; i++) {
        k[i + 1] = r.get(keyAt[i]);
        if (k[i + 1] == null) {
          throw new Violation(where(k) + "键列 " + key.get(i) + " 为空");
        }
      }
      if (previous != null && Arrays.equals(previous, k)) {
        throw new Violation(where(k) + "有两行的键（" + keyList + "）相同：" + values(k));
      }
      previous = k;
      return r;
    }

    private String where(Object[] k) {
      return "表 " + table + (partition == null ? "" : " 的分区 " + partition + "=" + k[0]) + " ";
    }

    private String values(Object[] k) {
      List<String> v = new ArrayList<>();
      for (int i = 1; i < k.length; i++) {
        v.add(key.get(i - 1) + "=" + Objects.toString(k[i]));
      }
      return String.join("，", v);
    }
  }
}
