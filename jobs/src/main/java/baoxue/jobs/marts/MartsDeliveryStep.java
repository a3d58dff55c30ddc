package baoxue.jobs.marts;

import static org.apache.spark.sql.functions.*;

import baoxue.pipeline.DeliveryContext;
import baoxue.pipeline.DeliveryStep;
import baoxue.schema.Schemas;
import baoxue.spark.Concurrent;
import baoxue.spark.Tables;
import baoxue.warehouse.DeliveryState;
import baoxue.warehouse.Faults;
import baoxue.warehouse.Txn;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Nightly step 3: the as-of snapshot of every mart for delivery date D (partition as_of=D),
 * published in one transaction with the delivery's state (phase marts, rule fingerprint).
 */
public final class MartsDeliveryStep implements DeliveryStep {
  /** Deliveries whose carried state is kept (see {@link #pruneState}). */
  static final int KEEP_STATE = 5;
  private static final String STATE_STUDENTS = Schemas.table("state.students").path();

  /** Off with -Dbaoxue.incremental=false: every snapshot from the whole history (the reference). */
  static boolean incremental() {
    return !"false".equals(System.getProperty("baoxue.incremental"));
  }

  @Override
  public String phase() {
    return DeliveryState.MARTS;
  }

  @Override
  public void run(DeliveryContext ctx) throws Exception {
    LocalDate d = ctx.date;
    LocalDate first = d;
    LocalDate previous = null;
    boolean coreIsAsOf = true;
    for (String f : ctx.warehouse.list("_state/deliveries")) {
      if (f.endsWith(".json")) {
        LocalDate x = LocalDate.parse(f.substring(0, f.length() - 5));
        first = x.isBefore(first) ? x : first;
        previous = x.isBefore(d) && (previous == null || x.isAfter(previous)) ? x : previous;
        if (x.isAfter(d)) {
          DeliveryState later = DeliveryState.load(ctx.warehouse, x.toString());
          coreIsAsOf &= later == null || !(DeliveryState.CORE.equals(later.phase) || DeliveryState.MARTS.equals(later.phase));
        }
      }
    }
    AsOfInputs in = AsOfInputs.read(ctx.spark, ctx.warehouse, d, first);
    SequenceFacts seq = null;
    if (previous != null && incremental()) {
      DeliveryState p = DeliveryState.load(ctx.warehouse, previous.toString());
      if (p != null
          && DeliveryState.MARTS.equals(p.phase)
          && p.sequenceState
          && ctx.warehouse.exists(STATE_STUDENTS + "/as_of=" + previous)) {
        seq = SequenceFacts.incremental(ctx.spark, ctx.warehouse, in, previous, coreIsAsOf, ctx.rules);
      }
    }
    if (seq == null) {
      seq = SequenceFacts.full(in);
    }
    if (Boolean.getBoolean("baoxue.timing")) {
      System.err.printf("  %s marts: %s%n", d, seq.how);
    }
    Map<String, Dataset<Row>> marts = new LinkedHashMap<>(Marts.compute(in, seq, ctx.rules));
    marts.put("state.students", seq.students);
    marts.put("state.unexcused_runs", seq.runs);
    marts.put("state.reported", seq.reported);
    Txn txn = Txn.begin(ctx.warehouse, d + "-marts");
    try {
      writeAll(ctx.spark, marts, txn, d, "marts");
      pruneState(ctx, txn, d, marts.keySet().stream().filter(t -> t.startsWith("state.")).toList());
      Faults.point("marts:" + d + ":written");
      ctx.state.phase = phase();
      ctx.state.martsFingerprint = ctx.rules.fingerprint();
      ctx.state.sequenceState = true;
      ctx.warehouse.writeString(txn.stagePath(DeliveryState.path(d.toString())), ctx.state.toJson());
      txn.commit();
    } catch (Exception | Error e) {
      if (!(e instanceof Faults.InjectedCrash)) {
        txn.abort();
      }
      throw e;
    } finally {
      baoxue.spark.Sessions.release(ctx.spark);
    }
  }

  /**
   * Writes each table of {@code marts} as its partition {@code as_of=d} into the transaction: the
   * marts are independent once their shared inputs are kept, so they run as concurrent Spark jobs.
   * The nightly step and the snapshots of dates without a delivery both publish this way.
   */
  static void writeAll(org.apache.spark.sql.SparkSession spark, Map<String, Dataset<Row>> marts, Txn txn, LocalDate d, String label)
      throws Exception {
    Map<String, Callable<Void>> writes = new LinkedHashMap<>();
    for (Map.Entry<String, Dataset<Row>> e : marts.entrySet()) {
      writes.put(
          e.getKey(),
          () -> {
            long t = System.nanoTime();
            spark.sparkContext().setJobDescription(label + " " + e.getKey());
            Tables.writePartition(e.getValue().withColumn("as_of", lit(d)), Schemas.table(e.getKey()), txn, d.toString());
            if (Boolean.getBoolean("baoxue.timing")) {
              System.err.printf("  %s %s: %.2f s%n", d, e.getKey(), (System.nanoTime() - t) / 1e9);
            }
            return null;
          });
    }
    Concurrent.all(3, writes);
  }

  /**
   * The state carried from one delivery to the next is kept for the {@value #KEEP_STATE} latest
   * deliveries (and D): the nightly run reads only the previous one; recomputing an earlier
   * snapshot whose previous state was dropped computes it in full (same rows) and carries on
   * incrementally from there. Dropped in D's transaction, with those deliveries' flag.
   */
  private static void pruneState(DeliveryContext ctx, Txn txn, LocalDate d, List<String> stateTables) throws IOException {
    String students = STATE_STUDENTS;
    TreeSet<LocalDate> dates = new TreeSet<>();
    dates.add(d);
    for (String p : ctx.warehouse.partitions(students)) {
      dates.add(LocalDate.parse(p.substring(p.indexOf('=') + 1)));
    }
    List<LocalDate> latestFirst = new ArrayList<>(dates.descendingSet());
    for (LocalDate x : latestFirst.subList(Math.min(KEEP_STATE, latestFirst.size()), latestFirst.size())) {
      if (x.equals(d)) {
        continue;
      }
      for (String t : stateTables) {
        txn.deleteOnCommit(Schemas.table(t).path() + "/as_of=" + x);
      }
      DeliveryState s = DeliveryState.load(ctx.warehouse, x.toString());
      if (s != null && s.sequenceState) {
        s.sequenceState = false;
        ctx.warehouse.writeString(txn.stagePath(DeliveryState.path(x.toString())), s.toJson());
      }
    }
  }
}
