package baoxue.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** How a failed step is told to the operator: delivery, step, cause, and the file being written. */
class StepFailedTest {
  @Test
  void aFullDiskIsNamedWithTheFileInTheWordingOfJavaDuckdbAndSpark() {
    Throwable java = new FileNotFoundException("/w/_state/run.lock (No space left on device)");
    assertEquals("仓库所在的磁盘已满（No space left on device），写入 /w/_state/run.lock 时", StepFailed.storage(java));
    Throwable duck = new java.sql.SQLException("IO Error: Could not write file \"/w/.baoxue.duckdb.building-1.wal\": No space left on device");
    assertEquals("仓库所在的磁盘已满（No space left on device），写入 /w/.baoxue.duckdb.building-1.wal 时", StepFailed.storage(duck));
    Throwable inner = new IOException("/w/_txn/2025-09-05-stage/staged/attendance/part-0.parquet (No space left on device)");
    Throwable spark = new RuntimeException("Job aborted due to stage failure: Task 0 in stage 3.0 failed 1 times, most recent failure: "
        + "Lost task 0.0 (TID 7) (127.0.0.1 executor driver): java.io.IOException: /w/_txn/x (No space left on device)", new RuntimeException("wrapper", inner));
    StepFailed f = new StepFailed(LocalDate.of(2025, 9, 5), "stage", spark);
    assertEquals("交付 2025-09-05 的步骤 stage 失败：仓库所在的磁盘已满（No space left on device），写入 /w/_txn/2025-09-05-stage/staged/attendance/part-0.parquet 时。"
        + "已发布的数据没有改变；排除原因后重新运行，会从这一步继续。", f.getMessage());
  }

  @Test
  void whenTheDiskSaysNoFileSparkSaysWhichFolderItWasWriting() {
    Throwable spark = new RuntimeException("[TASK_WRITE_FAILED] Task failed while writing rows to file:/w/_txn/2025-09-05-stage/ops/ingest_log. SQLSTATE: 58030",
        new RuntimeException("org.apache.hadoop.fs.FSError: java.io.IOException: No space left on device", new java.io.IOException("No space left on device")));
    assertEquals("仓库所在的磁盘已满（No space left on device），写入 /w/_txn/2025-09-05-stage/ops/ingest_log 时", StepFailed.storage(spark));
  }

  @Test
  void hadoopsFullDiskErrorOnAStateFileNamesTheFile() {
    Throwable wrapped = new IOException("/w/_state/deliveries/2025-09-12.json (java.io.IOException: No space left on device)",
        new Error("java.io.IOException: No space left on device", new IOException("No space left on device")));
    assertEquals("仓库所在的磁盘已满（No space left on device），写入 /w/_state/deliveries/2025-09-12.json 时", StepFailed.storage(wrapped));
  }

  @Test
  void aReadOnlyWarehouseAndOtherCauses() {
    assertEquals("仓库是只读的，无法写入（Read-only file system），写入 /w/_state/run.lock 时",
        StepFailed.storage(new FileNotFoundException("/w/_state/run.lock (Read-only file system)")));
    assertEquals("仓库是只读的，无法写入（Read-only file system），写入 /w/restricted 时",
        StepFailed.storage(new IOException("Failed to set permissions of path: /w/restricted' (Read-only file system)")));
    assertNull(StepFailed.storage(new IOException("Connection reset")));
    assertEquals("步骤 analyst_db 失败：IllegalStateException：视图 x 的列 y 没有中文注释。已发布的数据没有改变；排除原因后重新运行，会从这一步继续。",
        new StepFailed((java.time.LocalDate) null, "analyst_db", new RuntimeException("outer", new IllegalStateException("视图 x 的列 y 没有中文注释"))).getMessage());
  }
}
