package baoxue.jobs.staged;

import static org.apache.spark.sql.functions.col;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Nightly step 1: validates every extract of delivery D and publishes, in one transaction, the
 * staged rows of each kind, their restricted part, the quarantine and the per-file log for D. A
 * kind absent from D (also after a re-delivery) has its D partitions removed.
 */
public final class StageDeliveryStep implements DeliveryStep {
  @Override
  public String phase() {
    return DeliveryState.STAGED;
  }

  @Override
  public void run(DeliveryContext ctx) throws Exception {
    LocalDate d = ctx.date;
    String part = "delivery_date=" + d;
    Txn txn = Txn.begin(ctx.warehouse, d + "-stage");
    try {
      Map<String, List<DeliveredFile>> byKind = new LinkedHashMap<>();
      List<Row> unknownFiles = new ArrayList<>();
      for (DeliveredFile f : ctx.files) {
        if (f.kind() == null || f.kind().equals("symlink") || f.kind().equals("folder")) {
          String why =
              "symlink".equals(f.kind())
                  ? "符号链接，出于安全原因不读取"
                  : "folder".equals(f.kind()) ? "子文件夹，不读取" : "文件名不属于任何抽取类型（应以 schools、calendar、students、attendance、changes、interventions、inspections 开头，扩展名 .csv），已忽略";
          unknownFiles.add(RowFactory.create(d + "/" + f.name(), null, null, 0L, 0L, 0L, false, new String[] {why}, d));
        } else {
          byKind.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(f);
        }
      }
      Set<String> known = knownSchools(ctx);
      Dataset<Row> quarantine = null;
      // one row per file: collected once per kind, written at the end from the driver
      List<Row> logRows = new ArrayList<>(unknownFiles);
      List<StageExtract.Result> results = new ArrayList<>();
      ctx.state.kinds = new ArrayList<>();
      Map<String, Staged> staged = new LinkedHashMap<>();
      Map<String, Callable<Staged>> others = new LinkedHashMap<>();
      for (String kind : Schemas.KINDS) {
        List<DeliveredFile> files = byKind.get(kind);
        if (files == null) {
          txn.deleteOnCommit(Schemas.staged(kind).path() + "/" + part);
          txn.deleteOnCommit(Schemas.restrictedStaged(kind).path() + "/" + part);
        } else if (kind.equals("schools")) {
          // the schools first: the other kinds check school codes against them
          Staged st = stageKind(ctx, kind, files, known, txn);
          for (Row row : st.result.staged().select("school_code").collectAsList()) {
            known.add(row.getString(0));
          }
          staged.put(kind, st);
        } else {
          others.put(kind, () -> stageKind(ctx, kind, files, known, txn));
        }
      }
      // the other kinds as concurrent Spark jobs: each is small
      staged.putAll(Concurrent.all(3, others));
      for (Map.Entry<String, Staged> e : staged.entrySet()) {
        Staged st = e.getValue();
        String kind = e.getKey();
        ctx.state.kinds.add(kind);
        results.add(st.result);
        if (kind.equals("attendance")) {
          ctx.state.attendanceDates = st.attendanceDates;
        }
        quarantine = quarantine == null ? st.result.quarantine() : quarantine.unionByName(st.result.quarantine());
        logRows.addAll(st.log);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("files", (long) byKind.get(kind).size());
        counts.put("rows_read", st.log.stream().mapToLong(x -> x.getLong(x.fieldIndex("rows_read"))).sum());
        counts.put("rows_loaded", st.log.stream().mapToLong(x -> x.getLong(x.fieldIndex("rows_loaded"))).sum());
        counts.put("rows_quarantined", st.log.stream().mapToLong(x -> x.getLong(x.fieldIndex("rows_quarantined"))).sum());
        counts.put("files_rejected", st.log.stream().filter(x -> x.getBoolean(x.fieldIndex("file_rejected"))).count());
        ctx.state.counts.put(kind, counts);
      }
      if (!ctx.state.kinds.contains("attendance")) {
        ctx.state.attendanceDates = List.of();
      }
      ctx.spark.sparkContext().setJobDescription("stage quarantine+log");
      Faults.point("stage:" + d + ":written");
      TableSpec q = Schemas.table("ops.quarantine");
      TableSpec raw = Schemas.table("restricted.quarantine_raw");
      if (quarantine == null) {
        txn.deleteOnCommit(q.path() + "/" + part);
        txn.deleteOnCommit(raw.path() + "/" + part);
      } else {
        Tables.writePartition(quarantine, q, txn, d.toString());
        Tables.writePartition(quarantine, raw, txn, d.toString());
      }
      Dataset<Row> log = ctx.spark.createDataFrame(logRows, baoxue.spark.SparkTypes.of(Schemas.table("ops.ingest_log")));
      Tables.writePartition(log, Schemas.table("ops.ingest_log"), txn, d.toString());
      ctx.state.phase = phase();
      ctx.warehouse.writeString(txn.stagePath(DeliveryState.path(d.toString())), ctx.state.toJson());
      results.forEach(StageExtract.Result::release);
      txn.commit();
    } catch (Exception | Error e) {
      if (!(e instanceof Faults.InjectedCrash)) {
        txn.abort();
      }
      ctx.spark.catalog().clearCache(); // the parses and loaded rows cached above
      throw e;
    }
  }

  /** One kind staged: its rows (cached until the step ends), its per-file log, its dates. */
  private record Staged(StageExtract.Result result, List<Row> log, List<String> attendanceDates) {}

  /** Validates one kind's files of D and writes its staged and restricted partitions. */
  private static Staged stageKind(DeliveryContext ctx, String kind, List<DeliveredFile> files, Set<String> known, Txn txn)
      throws Exception {
    ctx.spark.sparkContext().setJobDescription("stage " + kind);
    LocalDate d = ctx.date;
    Dataset<Row> parsed = StageExtract.parse(ctx.spark, Schemas.extract(kind), d, files, known, ctx.pseudonym);
    StageExtract.Result r = StageExtract.stage(parsed, Schemas.extract(kind), d);
    Tables.writePartition(r.staged(), Schemas.staged(kind), txn, d.toString());
    if (Schemas.extract(kind).columns.stream().anyMatch(c -> c.restricted())) {
      Tables.writePartition(r.restricted(), Schemas.restrictedStaged(kind), txn, d.toString());
    }
    List<String> dates = null;
    if (kind.equals("attendance")) {
      dates = r.staged().select(col("date").cast("string")).distinct().orderBy("date").collectAsList().stream().map(x -> x.getString(0)).toList();
    }
    return new Staged(r, r.log().collectAsList(), dates);
  }

  /** School codes of every schools delivery up to D (this one's are added as it is staged). */
  private static Set<String> knownSchools(DeliveryContext ctx) throws Exception {
    Set<String> known = new HashSet<>();
    Dataset<Row> s = Tables.read(ctx.spark, ctx.warehouse, Schemas.staged("schools"));
    for (Row r : s.where(col("delivery_date").leq(ctx.date)).select("school_code").distinct().collectAsList()) {
      known.add(r.getString(0));
    }
    return known;
  }
}
