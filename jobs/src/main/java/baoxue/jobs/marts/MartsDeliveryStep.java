package baoxue.jobs.marts;

import static org.apache.spark.sql.functions.*;

import baoxue.pipeline.DeliveryContext;
import baoxue.pipeline.DeliveryStep;
import baoxue.schema.Schemas;
import baoxue.spark.Tables;
import baoxue.warehouse.DeliveryState;
import baoxue.warehouse.Faults;
import baoxue.warehouse.Txn;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Nightly step 3: the as-of snapshot of every mart for delivery date D (partition as_of=D),
 * published in one transaction with the delivery's state (phase marts, rule fingerprint).
 */
public final class MartsDeliveryStep implements DeliveryStep {
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
      if (p != null && DeliveryState.MARTS.equals(p.phase) && p.sequenceState) {
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
      // the marts are independent once their shared inputs are cached: write them as concurrent Spark jobs
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        List<Future<?>> writes = new ArrayList<>();
        for (Map.Entry<String, Dataset<Row>> e : marts.entrySet()) {
          writes.add(
              pool.submit(
                  () -> {
                    long t = System.nanoTime();
                    ctx.spark.sparkContext().setJobDescription("marts " + e.getKey());
                    Tables.writePartition(e.getValue().withColumn("as_of", lit(d)), Schemas.table(e.getKey()), txn, d.toString());
                    if (Boolean.getBoolean("baoxue.timing")) {
                      System.err.printf("  %s %s: %.2f s%n", d, e.getKey(), (System.nanoTime() - t) / 1e9);
                    }
                    return null;
                  }));
        }
        for (Future<?> f : writes) {
          try {
            f.get();
          } catch (ExecutionException x) {
            if (x.getCause() instanceof Error er) {
              throw er;
            }
            throw x.getCause() instanceof Exception ex ? ex : new RuntimeException(x.getCause());
          }
        }
      } finally {
        pool.shutdownNow();
        // after a failure, the other writes finish before the transaction is discarded
        pool.awaitTermination(10, TimeUnit.MINUTES);
      }
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
      ctx.spark.catalog().clearCache();
    }
  }
}
