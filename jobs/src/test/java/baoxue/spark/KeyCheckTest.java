package baoxue.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import baoxue.pipeline.StepFailed;
import baoxue.schema.Schemas;
import baoxue.schema.TableSpec;
import baoxue.testing.SparkTestSession;
import baoxue.warehouse.Txn;
import baoxue.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every write checks the table's declared key: unique within a partition and never null. */
class KeyCheckTest {
  @TempDir Path dir;

  private static final TableSpec WATCHLIST = Schemas.table("marts.watchlist"); // key [student_key, kind], by as_of
  private static final TableSpec SCHOOLS = Schemas.table("core.schools"); // key [school_code], unpartitioned

  private static Row watch(String student, String kind) {
    return RowFactory.create(student, "S1", 3, "1", kind, "疑似辍学", "理由", Date.valueOf("2025-09-03"), Date.valueOf("2025-09-05"));
  }

  private static Row school(String code) {
    return RowFactory.create(code, "一小", "城关镇", "primary", "小学", null, true, Date.valueOf("2025-09-01"));
  }

  private Throwable write(TableSpec t, List<Row> rows) throws Exception {
    SparkSession spark = SparkTestSession.get();
    Warehouse wh = new Warehouse(dir.toString(), spark.sparkContext().hadoopConfiguration());
    // as a transform's output: every column may be null (a left join, a coalesce that missed)
    org.apache.spark.sql.types.StructType nullable = new org.apache.spark.sql.types.StructType();
    for (org.apache.spark.sql.types.StructField f : SparkTypes.of(t).fields()) {
      nullable = nullable.add(f.name(), f.dataType(), true);
    }
    Dataset<Row> df = spark.createDataFrame(rows, nullable);
    Txn txn = Txn.begin(wh, "keycheck");
    try {
      if (t.partitionBy.isEmpty()) {
        Tables.writeTable(df, t, txn);
      } else {
        Tables.writePartition(df, t, txn, "2025-09-05");
      }
      txn.commit();
      return null;
    } catch (Exception e) {
      txn.abort();
      return e;
    }
  }

  @Test
  void twoRowsWithOneKeyFailTheWriteAndSayWhichTableKeyAndValues() throws Exception {
    Throwable e = write(WATCHLIST, List.of(watch("k1", "ghost"), watch("k2", "ghost"), watch("k1", "ghost")));
    String said = StepFailed.describe(e);
    assertTrue(said.contains("表 marts.watchlist 的分区 as_of=2025-09-05 有两行的键（student_key, kind）相同：student_key=k1，kind=ghost"), said);
    assertFalse(Files.exists(dir.resolve("marts/watchlist/as_of=2025-09-05")), "nothing is published");
  }

  @Test
  void aNullKeyFailsTheWrite() throws Exception {
    Throwable e = write(SCHOOLS, List.of(school("S1"), school(null)));
    String said = StepFailed.describe(e);
    assertTrue(said.contains("表 core.schools 键列 school_code 为空"), said);
    assertFalse(Files.exists(dir.resolve("core/schools")));
  }

  @Test
  void theSameKeyInTwoRowsThatDifferElsewhereIsStillADuplicate() throws Exception {
    Row other = RowFactory.create("k1", "S2", 4, "2", "ghost", "空挂学籍疑似", "另一理由", Date.valueOf("2025-09-04"), Date.valueOf("2025-09-05"));
    Throwable e = write(WATCHLIST, List.of(watch("k1", "ghost"), other));
    assertTrue(StepFailed.describe(e).contains("student_key=k1，kind=ghost"), StepFailed.describe(e));
  }

  @Test
  void distinctKeysAreWrittenSortedByKey() throws Exception {
    assertEquals(null, write(WATCHLIST, List.of(watch("k2", "ghost"), watch("k1", "ghost"), watch("k1", "chronic_absence"))));
    SparkSession spark = SparkTestSession.get();
    List<Row> back = spark.read().parquet(dir.resolve("marts/watchlist").toString()).select("student_key", "kind").collectAsList();
    assertEquals("[[k1,chronic_absence], [k1,ghost], [k2,ghost]]", back.toString());
  }
}
