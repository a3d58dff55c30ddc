package baoxue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import baoxue.analyst.SqlRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./baoxue snapshot --date D} as an analyst runs it: a Saturday between the deliveries gets
 * its snapshot in the analysts' database; a day after the last delivery is refused, saying why.
 */
class SnapshotCommandTest {
  @Test
  void aSaturdayGetsItsSnapshotAndADayAfterTheLastDeliveryIsRefused() throws Exception {
    Night n = Night.get();
    Path wh = n.copyOfBase("snapshot");
    Path log = n.root.resolve("logs/snapshot.log");
    n.runOk(log, "snapshot", "--warehouse", wh.toString(), "--date", "2025-09-06");
    String said = Files.readString(log);
    assertTrue(said.contains("快照 2025-09-06（按需，不是交付日）") && said.contains("分析库已更新"), said);
    long students = ((Number) SqlRunner.query(wh, "SELECT count(*) FROM cohort WHERE as_of = DATE '2025-09-06'").rows().get(0).get(0)).longValue();
    assertEquals(
        ((Number) SqlRunner.query(wh, "SELECT count(*) FROM cohort WHERE as_of = DATE '2025-09-05'").rows().get(0).get(0)).longValue(),
        students,
        "nothing was delivered on the Saturday: the same base cohort as Friday's");
    assertTrue(students > 0);

    Path refused = n.root.resolve("logs/snapshot-refused.log");
    assertEquals(2, Night.run(refused, List.of(), List.of("snapshot", "--warehouse", wh.toString(), "--date", "2025-09-20")));
    String why = Files.readString(refused);
    assertTrue(why.contains("错误：") && why.contains("2025-09-11 之后的交付还没有处理"), why);
  }
}
