package baoxue.jobs.marts;

import static org.apache.spark.sql.functions.*;

import baoxue.pipeline.DeliveryContext;
import baoxue.pipeline.DeliveryStep;
import baoxue.schema.Schemas;
import baoxue.spark.Concurrent;
import baoxue.spark.Tables;
import baoxue.transforms.AsOf;
import baoxue.warehouse.DeliveryState;
import baoxue.warehouse.Faults;
import baoxue.warehouse.Txn;
import baoxue.warehouse.Warehouse;
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
      writeAll(ctx.spark, marts, txn, List.of(d), "marts " + d);
      pruneState(ctx.warehouse, txn, List.of(d), List.of(d));
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
   * Writes each table of {@code marts} (tagged with as_of) as its partitions {@code as_of=D}, one
   * per date of {@code dates}, into the transaction: the marts are independent once their shared
   * inputs are kept, so they run as concurrent Spark jobs. The nightly step, the backfill of a set
   * of dates and the snapshots of dates without a delivery all publish this way.
   */
  static void writeAll(org.apache.spark.sql.SparkSession spark, Map<String, Dataset<Row>> marts, Txn txn, List<LocalDate> dates, String label)
      throws Exception {
    List<String> partitions = dates.stream().map(x -> AsOf.COL + "=" + x).toList();
    Map<String, Callable<Void>> writes = new LinkedHashMap<>();
    for (Map.Entry<String, Dataset<Row>> e : marts.entrySet()) {
      writes.put(
          e.getKey(),
          () -> {
            long t = System.nanoTime();
            spark.sparkContext().setJobDescription(label + " " + e.getKey());
            Tables.writePartitions(e.getValue(), Schemas.table(e.getKey()), txn, partitions);
            if (Boolean.getBoolean("baoxue.timing")) {
              System.err.printf("  %s %s: %.2f s%n", label, e.getKey(), (System.nanoTime() - t) / 1e9);
            }
            return null;
          });
    }
    Concurrent.all(3, writes);
  }

  /**
   * A backfill in one pass: the snapshots of every date of {@code ctxs} (deliveries whose staged
   * and core layers are built, in date order) computed together by the same rules, each rule
   * over the set of as-of dates, and published in one transaction with the deliveries' states.
   * The carried state is written for the latest {@value #KEEP_STATE} of them, so the next night
   * continues incrementally.
   */
  @Override
  public void runSet(List<DeliveryContext> ctxs) throws Exception {
    if (ctxs.size() == 1) {
      run(ctxs.get(0));
    } else {
      computeSet(ctxs);
    }
  }

  /** The one-pass backfill of {@link #runSet}. */
  public static void computeSet(List<DeliveryContext> ctxs) throws Exception {
    DeliveryContext last = ctxs.get(ctxs.size() - 1);
    List<LocalDate> dates = ctxs.stream().map(c -> c.date).sorted().toList();
    LocalDate first = dates.get(0);
    for (String f : last.warehouse.list("_state/deliveries")) {
      if (f.endsWith(".json")) {
        LocalDate x = LocalDate.parse(f.substring(0, f.length() - 5));
        first = x.isBefore(first) ? x : first;
      }
    }
    AsOfInputs in = AsOfInputs.read(last.spark, last.warehouse, dates, first);
    SequenceFacts seq = SequenceFacts.full(in);
    List<LocalDate> kept = dates.subList(Math.max(0, dates.size() - KEEP_STATE), dates.size());
    Map<String, Dataset<Row>> marts = Marts.compute(in, seq, last.rules);
    Map<String, Dataset<Row>> state = new LinkedHashMap<>();
    org.apache.spark.sql.Column keptOnly = AsOf.col().geq(lit(kept.get(0)));
    state.put("state.students", seq.students.where(keptOnly));
    state.put("state.unexcused_runs", seq.runs.where(keptOnly));
    state.put("state.reported", seq.reported.where(keptOnly));
    String id = "backfill-" + dates.get(0) + "-" + dates.get(dates.size() - 1);
    Txn txn = Txn.begin(last.warehouse, id);
    try {
      writeAll(last.spark, marts, txn, dates, id);
      writeAll(last.spark, state, txn, kept, id);
      pruneState(last.warehouse, txn, dates, kept);
      Faults.point("backfill:" + dates.get(0) + ".." + dates.get(dates.size() - 1) + ":written");
      for (DeliveryContext c : ctxs) {
        c.state.phase = DeliveryState.MARTS;
        c.state.martsFingerprint = c.rules.fingerprint();
        c.state.sequenceState = kept.contains(c.date);
        c.warehouse.writeString(txn.stagePath(DeliveryState.path(c.date.toString())), c.state.toJson());
      }
      txn.commit();
    } catch (Exception | Error e) {
      if (!(e instanceof Faults.InjectedCrash)) {
        txn.abort();
      }
      throw e;
    } finally {
      baoxue.spark.Sessions.release(last.spark);
    }
  }

  /**
   * The state carried from one delivery to the next is kept for the {@value #KEEP_STATE} latest
   * deliveries: the nightly run reads only the previous one; recomputing an earlier snapshot whose
   * previous state was dropped computes it in full (same rows) and carries on incrementally from
   * there. {@code computed}: the dates whose snapshots this transaction writes, {@code written}
   * those of them whose state it writes (the state of the others is stale and goes). Dropped in
   * the same transaction, with those deliveries' flag.
   */
  private static void pruneState(Warehouse wh, Txn txn, List<LocalDate> computed, List<LocalDate> written) throws IOException {
    TreeSet<LocalDate> dates = new TreeSet<>(written);
    TreeSet<LocalDate> drop = new TreeSet<>();
    for (String p : wh.partitions(STATE_STUDENTS)) {
      LocalDate x = LocalDate.parse(p.substring(p.indexOf('=') + 1));
      (computed.contains(x) && !written.contains(x) ? drop : dates).add(x);
    }
    List<LocalDate> latestFirst = new ArrayList<>(dates.descendingSet());
    drop.addAll(latestFirst.subList(Math.min(KEEP_STATE, latestFirst.size()), latestFirst.size()));
    for (LocalDate x : drop) {
      for (String t : List.of("state.students", "state.unexcused_runs", "state.reported")) {
        txn.deleteOnCommit(Schemas.table(t).path() + "/" + AsOf.COL + "=" + x);
      }
      if (computed.contains(x)) {
        continue; // its state is written with its snapshot
      }
      DeliveryState s = DeliveryState.load(wh, x.toString());
      if (s != null && s.sequenceState) {
        s.sequenceState = false;
        wh.writeString(txn.stagePath(DeliveryState.path(x.toString())), s.toJson());
      }
    }
  }
}
