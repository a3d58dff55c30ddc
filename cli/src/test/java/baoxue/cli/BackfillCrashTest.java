package baoxue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A one-pass backfill killed with SIGKILL at seeded random moments (issue 18): every snapshot of
 * the base warehouse is made stale (other rules, as after a change of rules.yaml), so the next run
 * recomputes all of them in one pass over their dates; a real {@code ./baoxue run} in a child JVM
 * is killed after a random delay, again and again, then run to its end. The warehouse it leaves
 * equals, table by table, the uninterrupted one, and no transaction is left behind.
 */
class BackfillCrashTest {
  /** The seed of the kill moments; the delays it draws are in the log and the failure message. */
  static final long SEED = 20261202L;

  @Test
  void aBackfillKilledAtRandomMomentsAndRunAgainEqualsTheUninterruptedOne() throws Exception {
    Night n = Night.get();
    Path wh = n.copyOfBase("backfill-killed");
    int stale = markSnapshotsStale(wh);
    assertTrue(stale >= 5, "several snapshots to recompute in one pass: " + stale);
    List<String> args = List.of("run", "--landing", n.landing.toString(), "--warehouse", wh.toString(), "--until", Night.LAST.minusDays(1).toString());
    Random r = new Random(SEED);
    List<String> moments = new ArrayList<>();
    String onePass = "个交付日一次算出"; // printed once the backfill's transaction is committed
    int interrupted = 0;
    boolean published = false;
    for (int i = 0; i < 4 && !published; i++) {
      long delay = 6_000 + r.nextInt(30_000);
      Path log = n.root.resolve("logs/backfill-killed-" + i + ".log");
      Process p = Night.child(log, List.of(), args).start();
      if (p.waitFor(delay, TimeUnit.MILLISECONDS)) {
        moments.add(delay + " ms: ended first (exit " + p.exitValue() + ")");
        assertEquals(0, p.exitValue(), Night.tail(log));
        published = true;
        break;
      }
      Night.kill9(p);
      // a run may publish the backfill and be killed after it (rebuilding the analyst database): nothing is left to interrupt
      published = Files.readString(log).contains(onePass);
      interrupted += published ? 0 : 1;
      moments.add(delay + " ms: killed" + (published ? " after publishing the backfill" : ""));
    }
    assertTrue(interrupted >= 2, "the backfill was killed at least twice before it was published: " + moments);
    Path last = n.root.resolve("logs/backfill-final.log");
    n.runOk(last, args.toArray(String[]::new));
    assertTrue(published || Files.readString(last).contains(onePass), "a resumed run finished the backfill as one pass: " + moments + "\n" + Night.tail(last));
    Night.assertSameTables(n.base, wh);
    try (Stream<Path> txn = Files.list(wh.resolve("_txn"))) {
      assertEquals(0, txn.count(), "no transaction left behind; kills at " + moments);
    }
  }

  /** Marks every delivery's snapshot as computed with other rules; returns how many. */
  static int markSnapshotsStale(Path wh) throws Exception {
    int n = 0;
    try (Stream<Path> states = Files.list(wh.resolve("_state/deliveries"))) {
      for (Path f : states.filter(x -> x.toString().endsWith(".json")).toList()) {
        String json = Files.readString(f);
        String stale = json.replaceAll("\"martsFingerprint\" : \"[0-9a-f]+\"", "\"martsFingerprint\" : \"stale\"");
        assertNotEquals(json, stale, f.toString());
        Files.writeString(f, stale);
        Files.deleteIfExists(f.resolveSibling("." + f.getFileName() + ".crc")); // Hadoop's checksum of the old bytes
        n++;
      }
    }
    return n;
  }
}
