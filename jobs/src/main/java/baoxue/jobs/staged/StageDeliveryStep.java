package baoxue.jobs.staged;

import static org.apache.spark.sql.functions.*;

import baoxue.pipeline.DeliveryContext;
import baoxue.pipeline.DeliveryStep;
import baoxue.schema.Schemas;
import baoxue.schema.TableSpec;
import baoxue.spark.Concurrent;
import baoxue.spark.Tables;
import baoxue.warehouse.DeliveryState;
import baoxue.warehouse.Faults;
import baoxue.warehouse.Landing.DeliveredFile;
import baoxue.warehouse.Txn;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Nightly step 1: validates every extract of delivery D and publishes, in one transaction, the
 * staged rows of each kind, their restricted part, the quarantine and the per-file log for D. A
 * kind absent from D (also after a re-delivery) has its D partitions removed.
 *
 * <p>A set of pending deliveries (a backfill, a first run) is staged the same way in one
 * transaction: each kind's files of every delivery of the set are parsed in one job, each row
 * tagged with its delivery and checked against it alone (dates, known schools, key conflicts and
 * duplicates within the delivery), so that the result is partition for partition what the
 * deliveries staged one by one would give.
 */
public final class StageDeliveryStep implements DeliveryStep {
  @Override
  public String phase() {
    return DeliveryState.STAGED;
  }

  @Override
  public void run(DeliveryContext ctx) throws Exception {
    runSet(List.of(ctx));
  }

  @Override
  public void runSet(List<DeliveryContext> set) throws Exception {
    stageSet(set);
  }

  /** Stages the deliveries of {@code set} (in date order) in one transaction. */
  public static void stageSet(List<DeliveryContext> set) throws Exception {
    DeliveryContext head = set.get(0);
    SparkSession spark = head.spark;
    List<LocalDate> dates = set.stream().map(c -> c.date).toList();
    String label = DeliveryStep.label(dates);
    List<String> parts = dates.stream().map(d -> "delivery_date=" + d).toList();
    Txn txn = Txn.begin(head.warehouse, DeliveryStep.txnName("stage", dates));
    List<StageExtract.Result> results = new ArrayList<>();
    try {
      Map<String, List<StageExtract.Dated>> byKind = new LinkedHashMap<>();
      List<Row> logRows = new ArrayList<>();
      for (DeliveryContext c : set) {
        for (DeliveredFile f : c.files) {
          if (f.kind() == null || f.kind().equals("symlink") || f.kind().equals("folder")) {
            logRows.add(RowFactory.create(c.date + "/" + f.name(), null, null, 0L, 0L, 0L, false, new String[] {ignored(f)}, c.date));
          } else {
            byKind.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(new StageExtract.Dated(c.date, f));
          }
        }
      }
      Dataset<Row> quarantine = null;
      Map<String, Staged> staged = new LinkedHashMap<>();
      Map<String, Callable<Staged>> others = new LinkedHashMap<>();
      Map<String, LocalDate> outside = firstSeenOutside(head, dates);
      Map<LocalDate, Set<String>> before = knownSchools(dates, outside, Map.of());
      Map<LocalDate, Set<String>> known = before;
      for (String kind : Schemas.KINDS) {
        List<StageExtract.Dated> files = byKind.get(kind);
        if (files == null) {
          for (String part : parts) {
            txn.deleteOnCommit(Schemas.staged(kind).path() + "/" + part);
            txn.deleteOnCommit(Schemas.restrictedStaged(kind).path() + "/" + part);
          }
        } else if (kind.equals("schools")) {
          // the schools first: the other kinds check school codes against them
          Staged st = stageKind(spark, head, kind, files, before, parts, txn);
          Map<String, LocalDate> firstSeen = new HashMap<>();
          for (Row row : st.result.staged().groupBy("school_code").agg(min("delivery_date")).collectAsList()) {
            firstSeen.put(row.getString(0), row.getLocalDate(1));
          }
          known = knownSchools(dates, outside, firstSeen);
          staged.put(kind, st);
        } else {
          Map<LocalDate, Set<String>> k = known;
          others.put(kind, () -> stageKind(spark, head, kind, files, k, parts, txn));
        }
      }
      // the other kinds as concurrent Spark jobs: each is small
      staged.putAll(Concurrent.all(3, others));
      for (DeliveryContext c : set) {
        c.state.kinds = new ArrayList<>();
        c.state.attendanceDates = List.of();
      }
      Map<LocalDate, DeliveryContext> byDate = new HashMap<>();
      set.forEach(c -> byDate.put(c.date, c));
      for (Map.Entry<String, Staged> e : staged.entrySet()) {
        Staged st = e.getValue();
        String kind = e.getKey();
        results.add(st.result);
        quarantine = quarantine == null ? st.result.quarantine() : quarantine.unionByName(st.result.quarantine());
        logRows.addAll(st.log);
        Map<LocalDate, List<Row>> logByDate = new TreeMap<>();
        for (Row x : st.log) {
          logByDate.computeIfAbsent(x.getLocalDate(x.fieldIndex("delivery_date")), d -> new ArrayList<>()).add(x);
        }
        for (Map.Entry<LocalDate, List<Row>> l : logByDate.entrySet()) {
          DeliveryContext c = byDate.get(l.getKey());
          List<Row> log = l.getValue();
          c.state.kinds.add(kind);
          Map<String, Long> counts = new LinkedHashMap<>();
          counts.put("files", (long) log.size());
          counts.put("rows_read", log.stream().mapToLong(x -> x.getLong(x.fieldIndex("rows_read"))).sum());
          counts.put("rows_loaded", log.stream().mapToLong(x -> x.getLong(x.fieldIndex("rows_loaded"))).sum());
          counts.put("rows_quarantined", log.stream().mapToLong(x -> x.getLong(x.fieldIndex("rows_quarantined"))).sum());
          counts.put("files_rejected", log.stream().filter(x -> x.getBoolean(x.fieldIndex("file_rejected"))).count());
          c.state.counts.put(kind, counts);
        }
        if (kind.equals("attendance")) {
          for (Map.Entry<LocalDate, List<String>> a : st.attendanceDates.entrySet()) {
            byDate.get(a.getKey()).state.attendanceDates = a.getValue();
          }
        }
      }
      spark.sparkContext().setJobDescription("stage quarantine+log");
      Faults.point("stage:" + label + ":written");
      TableSpec q = Schemas.table("ops.quarantine");
      TableSpec raw = Schemas.table("restricted.quarantine_raw");
      if (quarantine == null) {
        for (String part : parts) {
          txn.deleteOnCommit(q.path() + "/" + part);
          txn.deleteOnCommit(raw.path() + "/" + part);
        }
      } else {
        Tables.writePartitions(quarantine, q, txn, parts);
        Tables.writePartitions(quarantine, raw, txn, parts);
      }
      Dataset<Row> log = spark.createDataFrame(logRows, baoxue.spark.SparkTypes.of(Schemas.table("ops.ingest_log")));
      Tables.writePartitions(log, Schemas.table("ops.ingest_log"), txn, parts);
      for (DeliveryContext c : set) {
        c.state.phase = DeliveryState.STAGED;
        c.warehouse.writeString(txn.stagePath(DeliveryState.path(c.date.toString())), c.state.toJson());
      }
      results.forEach(StageExtract.Result::release);
      txn.commit();
    } catch (Exception | Error e) {
      if (!(e instanceof Faults.InjectedCrash)) {
        txn.abort();
      }
      spark.catalog().clearCache(); // the parses and loaded rows cached above
      throw e;
    }
  }

  private static String ignored(DeliveredFile f) {
    return "symlink".equals(f.kind())
        ? "符号链接，出于安全原因不读取"
        : "folder".equals(f.kind())
            ? "子文件夹，不读取"
            : "文件名不属于任何抽取类型（应以 schools、calendar、students、attendance、changes、interventions、inspections 开头，扩展名 .csv），已忽略";
  }

  /** One kind staged: its rows (cached until the step ends), its per-file log, its dates per delivery. */
  private record Staged(StageExtract.Result result, List<Row> log, Map<LocalDate, List<String>> attendanceDates) {}

  /** Validates one kind's files of the set and writes its staged and restricted partitions. */
  private static Staged stageKind(
      SparkSession spark,
      DeliveryContext head,
      String kind,
      List<StageExtract.Dated> files,
      Map<LocalDate, Set<String>> known,
      List<String> parts,
      Txn txn)
      throws Exception {
    spark.sparkContext().setJobDescription("stage " + kind);
    Dataset<Row> parsed = StageExtract.parse(spark, Schemas.extract(kind), files, known, head.pseudonym);
    StageExtract.Result r = StageExtract.stage(parsed, Schemas.extract(kind));
    Tables.writePartitions(r.staged(), Schemas.staged(kind), txn, parts);
    if (Schemas.extract(kind).columns.stream().anyMatch(c -> c.restricted())) {
      Tables.writePartitions(r.restricted(), Schemas.restrictedStaged(kind), txn, parts);
    }
    Map<LocalDate, List<String>> dates = new TreeMap<>();
    if (kind.equals("attendance")) {
      for (Row x :
          r.staged().select(col("delivery_date"), col("date").cast("string")).distinct().orderBy("delivery_date", "date").collectAsList()) {
        dates.computeIfAbsent(x.getLocalDate(0), d -> new ArrayList<>()).add(x.getString(1));
      }
    }
    return new Staged(r, r.log().collectAsList(), dates);
  }

  /** Code → first delivery carrying it, over the staged schools up to the set's last date outside the set. */
  private static Map<String, LocalDate> firstSeenOutside(DeliveryContext head, List<LocalDate> dates) throws Exception {
    Map<String, LocalDate> first = new HashMap<>();
    Dataset<Row> s = Tables.read(head.spark, head.warehouse, Schemas.staged("schools"));
    LocalDate last = dates.get(dates.size() - 1);
    for (Row r :
        s.where(col("delivery_date").leq(lit(last)).and(not(col("delivery_date").isin(dates.toArray()))))
            .groupBy("school_code")
            .agg(min("delivery_date"))
            .collectAsList()) {
      first.put(r.getString(0), r.getLocalDate(1));
    }
    return first;
  }

  /**
   * The school codes each delivery of the set is checked against: every schools delivery up to it
   * outside the set ({@code outside}), plus the set's own ({@code firstSeen}: code → first
   * delivery of the set carrying it). Deliveries that know the same codes share one set.
   */
  private static Map<LocalDate, Set<String>> knownSchools(
      List<LocalDate> dates, Map<String, LocalDate> outside, Map<String, LocalDate> firstSeen) {
    Map<String, LocalDate> first = new HashMap<>(outside);
    firstSeen.forEach((code, d) -> first.merge(code, d, (a, b) -> a.isBefore(b) ? a : b));
    Map<LocalDate, Set<String>> known = new HashMap<>();
    Set<String> prev = null;
    for (LocalDate d : dates) {
      Set<String> k = new HashSet<>();
      first.forEach((code, f) -> {
        if (!f.isAfter(d)) {
          k.add(code);
        }
      });
      Set<String> now = prev != null && prev.equals(k) ? prev : Set.copyOf(k);
      known.put(d, now);
      prev = now;
    }
    return known;
  }
}
