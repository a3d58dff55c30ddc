package baoxue.pipeline;

import baoxue.privacy.Pseudonym;
import baoxue.warehouse.DeliveryState;
import baoxue.warehouse.Landing;
import baoxue.warehouse.RunLock;
import baoxue.warehouse.Txn;
import baoxue.warehouse.Warehouse;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code ./baoxue run}: processes, in date order, every delivery up to {@code until} that the
 * warehouse has not yet built from its current files, through the nightly pipeline's steps. A
 * delivery whose files changed (a re-delivery) is processed again; one that stopped halfway is
 * completed. One run per warehouse at a time.
 */
public final class NightlyRun {
  /** What to run. */
  public record Options(
      String landing,
      String warehouse,
      LocalDate until,
      Pseudonym pseudonym,
      baoxue.marts.Rules rules,
      PrintStream out,
      String through) {
    public Options(String landing, String warehouse, LocalDate until, Pseudonym pseudonym, baoxue.marts.Rules rules, PrintStream out) {
      this(landing, warehouse, until, pseudonym, rules, out, null);
    }
  }

  /** What happened. */
  public record Summary(int deliveries, int processed, int skipped, long rowsRead, long rowsQuarantined, double seconds) {}

  private NightlyRun() {}

  public static Summary run(SparkSession spark, Options o) throws Exception {
    var conf = spark.sparkContext().hadoopConfiguration();
    Warehouse wh = new Warehouse(o.warehouse(), conf);
    Landing landing = new Landing(o.landing(), conf);
    wh.init();
    try (RunLock lock = lockFor(wh, "nightly run")) {
      checkKey(wh, o.pseudonym());
      for (String msg : Txn.recover(wh)) {
        o.out().println("恢复：" + msg);
      }
      List<Landing.Skipped> skipped = new ArrayList<>();
      List<LocalDate> all = landing.deliveries(skipped);
      for (Landing.Skipped s : skipped) {
        o.out().println("警告：" + s.name() + " —— " + s.reason());
      }
      List<LocalDate> dates = all.stream().filter(d -> o.until() == null || !d.isAfter(o.until())).toList();
      // each delivery folder is listed once: its files are planned below, the sizes choose generated code
      java.util.Map<LocalDate, List<Landing.DeliveredFile>> listed = new java.util.LinkedHashMap<>();
      long bytes = 0;
      for (LocalDate d : dates) {
        List<Landing.DeliveredFile> files = landing.files(d);
        listed.put(d, files);
        for (Landing.DeliveredFile f : files) {
          bytes += f.size();
        }
      }
      Pipeline pipeline = Pipeline.load("nightly");
      List<DeliveryStep> steps = pipeline.deliverySteps();
      // --through: a scheduler runs the pipeline one step at a time; steps after it are left for later
      List<String> ids = pipeline.runStepIds();
      int last = o.through() == null ? ids.size() - 1 : ids.indexOf(o.through());
      if (last < 0) {
        throw new IllegalArgumentException("每晚流水线没有步骤 " + o.through() + "（有：" + String.join("、", ids) + "）");
      }
      long t0 = System.nanoTime();
      int processed = 0;
      int unchanged = 0;
      long rows = 0;
      long bad = 0;
      int i = 0;
      boolean earlierChanged = false;
      String fingerprint = o.rules().fingerprint();
      // the marts of several pending deliveries are computed together (one pass over a set of
      // as-of dates); a single pending delivery, the usual night, carries the state forward
      Backfill backfill = new Backfill(o, rowsByDate(wh, dates));
      // plan every date first: what each pending delivery still needs
      List<Work> works = new ArrayList<>();
      for (LocalDate d : dates) {
        i++;
        List<Landing.DeliveredFile> files = listed.get(d);
        DeliveryState old = DeliveryState.load(wh, d.toString());
        Plan plan = plan(landing, wh, d, files, old);
        if (plan.state == null || DeliveryState.MARTS.equals(plan.resumeAfter)) {
          // the data is as built; the snapshot is stale if the rules changed or an earlier delivery changed
          DeliveryState cur = DeliveryState.load(wh, d.toString());
          if (!DeliveryState.MARTS.equals(cur.phase) || !fingerprint.equals(cur.martsFingerprint) || earlierChanged) {
            String why = earlierChanged ? "（之前的交付有变，重算快照）" : DeliveryState.MARTS.equals(cur.phase) ? "（口径参数有变，重算快照）" : "（补算快照）";
            plan = new Plan(cur, DeliveryState.CORE, why);
            if (!DeliveryState.MARTS.equals(cur.phase)) {
              earlierChanged = true; // its core changed after the later snapshots were taken (a resumed re-delivery)
            }
          }
        }
        if (plan.state == null) {
          unchanged++;
          continue;
        }
        if (o.through() != null && plan.resumeAfter != null) {
          plan = new Plan(plan.state, plan.resumeAfter, "（已完成 " + plan.resumeAfter + "，继续）"); // step-by-step, not an interruption
        }
        if (plan.resumeAfter == null || DeliveryState.STAGED.equals(plan.resumeAfter)) {
          earlierChanged = true; // this delivery's data changes: every later snapshot must be recomputed
        }
        int from = 0;
        if (plan.resumeAfter != null) {
          from = steps.size(); // a phase no step records: nothing to do
          for (int k = 0; k < steps.size(); k++) {
            if (steps.get(k).phase().equals(plan.resumeAfter)) {
              from = k + 1;
              break;
            }
          }
        }
        long size = files.stream().mapToLong(Landing.DeliveredFile::size).sum();
        DeliveryContext ctx = new DeliveryContext(spark, wh, landing, d, files, o.pseudonym(), plan.state, o.rules());
        works.add(new Work(i, d, plan, ctx, from, size));
      }
      // the session is sized by the pending work (the files of the deliveries this run builds or
      // recomputes), not by the history the marts read: a county's usual night at day 80 has 3 MB
      // pending over 238 MB delivered; sized by the history it ran 295 Spark jobs in 78.3 s, sized
      // by its work 59 jobs in 61.5 s (docs/performance.md, "issue 18 结案")
      long pending = works.stream().mapToLong(Work::bytes).sum();
      String tuned = baoxue.spark.Sessions.tune(spark, pending);
      if (Boolean.getBoolean("baoxue.timing")) {
        System.err.printf("  %,d bytes pending of %,d delivered: %s%n", pending, bytes, tuned);
      }
      boolean interpreted = baoxue.spark.Sessions.codegen(spark, bytes, works.size());
      if (Boolean.getBoolean("baoxue.timing")) {
        System.err.printf("  %d snapshots to compute: %s%n", works.size(), interpreted ? "interpreted expressions" : "generated code");
      }
      // the pending deliveries in sets: each step runs once over a set (one transaction, a few
      // wide jobs); baoxue.backfillDates=1 runs them one by one, as night after night
      for (List<Work> chunk : chunks(works)) {
        long tc = System.nanoTime();
        int[] ran = new int[chunk.size()];
        for (int k = 0; k < steps.size() && k <= last; k++) {
          DeliveryStep step = steps.get(k);
          List<DeliveryContext> set = new ArrayList<>();
          for (int w = 0; w < chunk.size(); w++) {
            if (chunk.get(w).from <= k) {
              set.add(chunk.get(w).ctx);
              ran[w]++;
            }
          }
          if (set.isEmpty()) {
            continue;
          }
          if (DeliveryState.MARTS.equals(step.phase()) && backfill.enabled()) {
            for (DeliveryContext c : set) {
              backfill.add(step, c, ids.get(k));
            }
            continue;
          }
          long ts = System.nanoTime();
          long jobs = Metrics.sparkJobs();
          spark.sparkContext().setJobDescription(ids.get(k));
          try {
            step.runSet(set);
          } catch (baoxue.warehouse.Faults.InjectedCrash e) {
            throw e;
          } catch (Exception | org.apache.hadoop.fs.FSError e) {
            throw new StepFailed(set.stream().map(c -> c.date).toList(), ids.get(k), e);
          }
          spark.sparkContext().setJobDescription(null);
          Metrics.addSeconds(ids.get(k), (System.nanoTime() - ts) / 1e9);
          Metrics.addCount(ids.get(k) + "_spark_jobs", Metrics.sparkJobs() - jobs);
          if (set.size() > 1) {
            Metrics.addCount(ids.get(k) + "_sets", 1);
          }
        }
        double s = (System.nanoTime() - tc) / 1e9;
        int done = 0;
        for (int w = 0; w < chunk.size(); w++) {
          if (ran[w] == 0) {
            continue; // what is left of this delivery comes after --through
          }
          Work wk = chunk.get(w);
          DeliveryState st = wk.ctx.state;
          done++;
          processed++;
          long r = st.total("rows_read");
          Metrics.addCount("deliveries_processed", 1);
          Metrics.addCount("rows_read", r);
          long q = st.total("rows_quarantined");
          rows += r;
          bad += q;
          String timing = chunk.size() == 1 ? String.format("；用时 %.1f 秒（%,.0f 行/秒）", s, r / Math.max(s, 1e-3)) : "";
          o.out().printf(
              "[%d/%d] 交付 %s%s：读入 %d 行，入库 %d 行，隔离 %d 行%s%s%n",
              wk.index, dates.size(), wk.date, wk.plan.note, r, st.total("rows_loaded"), q, timing,
              backfill.holds(wk.date) ? "，快照稍后与其他待算日期一起算" : "");
        }
        if (chunk.size() > 1 && done > 0) {
          o.out().printf(
              "暂存与核心层：%s 至 %s 的 %d 个交付一次建成；用时 %.1f 秒%n",
              chunk.get(0).date, chunk.get(chunk.size() - 1).date, chunk.size(), s);
        }
      }
      backfill.finish(spark);
      if (last >= steps.size() - 1) {
        // the month ends without a delivery and the dates analysts asked for, when a delivery changed them
        long ts = System.nanoTime();
        try {
          baoxue.jobs.marts.Snapshots.refresh(spark, wh, o.rules(), o.out());
        } catch (baoxue.warehouse.Faults.InjectedCrash e) {
          throw e;
        } catch (Exception | org.apache.hadoop.fs.FSError e) {
          throw new StepFailed((LocalDate) null, "snapshots", e);
        }
        Metrics.addSeconds("snapshots", (System.nanoTime() - ts) / 1e9);
      }
      // always (about a second): a run that died while rebuilding the analysts' database repairs it
      List<RunStep> after = pipeline.runSteps();
      for (int k = 0; k < after.size() && steps.size() + k <= last; k++) {
        long ts = System.nanoTime();
        try {
          after.get(k).run(spark, wh, o.out());
        } catch (baoxue.warehouse.Faults.InjectedCrash e) {
          throw e;
        } catch (Exception | org.apache.hadoop.fs.FSError e) {
          throw new StepFailed((LocalDate) null, ids.get(steps.size() + k), e);
        }
        Metrics.addSeconds(ids.get(steps.size() + k), (System.nanoTime() - ts) / 1e9);
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      return new Summary(dates.size(), processed, unchanged, rows, bad, secs);
    }
  }

  /** A pending delivery: where it stands in the run, its plan, and the first step it needs. */
  private record Work(int index, LocalDate date, Plan plan, DeliveryContext ctx, int from, long bytes) {}

  /**
   * The pending deliveries in the sets their steps run over: at most {@code baoxue.backfillDates}
   * deliveries (default 100) and {@code baoxue.stageBytes} bytes of files (default 2 GiB; a
   * delivery larger than that is a set on its own).
   */
  private static List<List<Work>> chunks(List<Work> works) {
    int maxDates = Math.max(1, Integer.getInteger("baoxue.backfillDates", 100));
    long maxBytes = Long.getLong("baoxue.stageBytes", 2L << 30);
    List<List<Work>> out = new ArrayList<>();
    List<Work> cur = new ArrayList<>();
    long bytes = 0;
    for (Work w : works) {
      if (!cur.isEmpty() && (cur.size() >= maxDates || bytes + w.bytes > maxBytes)) {
        out.add(cur);
        cur = new ArrayList<>();
        bytes = 0;
      }
      cur.add(w);
      bytes += w.bytes;
    }
    if (!cur.isEmpty()) {
      out.add(cur);
    }
    return out;
  }

  /** Rows read per delivery date, from the recorded delivery states (no Spark job). */
  private static java.util.Map<LocalDate, Long> rowsByDate(Warehouse wh, List<LocalDate> dates) throws IOException {
    java.util.Map<LocalDate, Long> rows = new java.util.TreeMap<>();
    for (LocalDate d : dates) {
      DeliveryState st = DeliveryState.load(wh, d.toString());
      rows.put(d, st == null ? 0L : st.total("rows_read"));
    }
    return rows;
  }

  /**
   * The deliveries whose snapshots wait to be computed together. The set is cut when the rows
   * the rules would read over it (each date reads the history delivered up to it, counted from
   * the recorded delivery states) pass
   * {@code baoxue.backfillRows} (default 30 million) or it holds {@code baoxue.backfillDates}
   * dates (default 100; 1 = every snapshot on its own, as night after night). A set of one date
   * is the nightly step itself (state carried forward).
   */
  private static final class Backfill {
    private final Options o;
    private final java.util.Map<LocalDate, Long> recordedRows;
    private final long maxRows = Long.getLong("baoxue.backfillRows", 30_000_000L);
    private final int maxDates = Integer.getInteger("baoxue.backfillDates", 100);
    private final List<DeliveryContext> pending = new ArrayList<>();
    private DeliveryStep step;
    private String id;

    Backfill(Options o, java.util.Map<LocalDate, Long> recordedRows) {
      this.o = o;
      this.recordedRows = recordedRows;
    }

    boolean enabled() {
      return maxDates > 1;
    }

    boolean holds(LocalDate d) {
      return pending.stream().anyMatch(c -> c.date.equals(d));
    }

    void add(DeliveryStep step, DeliveryContext ctx, String id) {
      this.step = step;
      this.id = id;
      recordedRows.put(ctx.date, ctx.state.total("rows_read"));
      pending.add(ctx);
    }

    /** Computes what is pending, in sets within the limits. */
    void finish(SparkSession spark) throws Exception {
      List<DeliveryContext> set = new ArrayList<>();
      long cost = 0;
      for (DeliveryContext c : pending) {
        long history = history(c.date);
        if (!set.isEmpty() && (set.size() >= maxDates || cost + history > maxRows)) {
          run(spark, set);
          set = new ArrayList<>();
          cost = 0;
        }
        set.add(c);
        cost += history;
      }
      if (!set.isEmpty()) {
        run(spark, set);
      }
      pending.clear();
    }

    /** The rows delivered up to d: what a snapshot of d reads again. */
    private long history(LocalDate d) {
      long n = 0;
      for (var e : recordedRows.entrySet()) {
        n += e.getKey().isAfter(d) ? 0 : e.getValue();
      }
      return n;
    }

    private void run(SparkSession spark, List<DeliveryContext> set) throws Exception {
      long ts = System.nanoTime();
      long jobs = Metrics.sparkJobs();
      LocalDate first = set.get(0).date;
      LocalDate last = set.get(set.size() - 1).date;
      spark.sparkContext().setJobDescription(id);
      try {
        step.runSet(set);
      } catch (baoxue.warehouse.Faults.InjectedCrash e) {
        throw e;
      } catch (Exception | org.apache.hadoop.fs.FSError e) {
        throw new StepFailed(set.stream().map(c -> c.date).toList(), id, e);
      }
      spark.sparkContext().setJobDescription(null);
      double s = (System.nanoTime() - ts) / 1e9;
      Metrics.addSeconds(id, s);
      Metrics.addCount(id + "_spark_jobs", Metrics.sparkJobs() - jobs);
      if (set.size() > 1) {
        Metrics.addCount("marts_sets", 1);
        o.out().printf("快照：%s 至 %s 的 %d 个交付日一次算出；用时 %.1f 秒%n", first, last, set.size(), s);
      } else {
        o.out().printf("快照：%s；用时 %.1f 秒%n", first, s);
      }
    }
  }

  /** The run lock; on a local warehouse an OS lock, elsewhere (HDFS) the scheduler serialises runs. */
  public static RunLock lockFor(Warehouse wh, String what) throws IOException {
    Path root = wh.root();
    if (!"file".equals(root.toUri().getScheme())) {
      return null;
    }
    return RunLock.acquire(Paths.get(root.toUri()), what);
  }

  /** Refuses to mix student_keys made with two different secrets in one warehouse. */
  private static void checkKey(Warehouse wh, Pseudonym p) throws IOException {
    String check = p.studentKey("baoxue-key-check");
    String file = "_state/pseudonym-key-check";
    if (wh.exists(file)) {
      if (!wh.readString(file).trim().equals(check)) {
        throw new IllegalStateException(
            "BAOXUE_PSEUDONYM_KEY 与建立这个仓库时用的密钥不同：继续运行会让同一个学生有两个 student_key。"
                + "请使用原来的密钥；确需更换密钥，请按 docs/security.md 重建仓库。");
      }
    } else {
      Path tmp = wh.path(file + ".tmp"); // whole or not at all: a cut file would refuse every later run
      wh.writeString(tmp, check + "\n");
      wh.fs().rename(tmp, wh.path(file));
    }
  }

  private record Plan(DeliveryState state, String resumeAfter, String note) {}

  private static Plan plan(Landing landing, Warehouse wh, LocalDate d, List<Landing.DeliveredFile> files, DeliveryState old)
      throws IOException {
    boolean built = old != null && (DeliveryState.CORE.equals(old.phase) || DeliveryState.MARTS.equals(old.phase));
    if (built && sameQuick(files, old)) {
      return new Plan(null, null, "");
    }
    List<DeliveryState.FileEntry> entries = new ArrayList<>();
    for (Landing.DeliveredFile f : files) {
      entries.add(new DeliveryState.FileEntry(f.name(), f.size(), f.modified(), landing.sha256(f)));
    }
    if (old != null && sameContent(entries, old)) {
      if (built) {
        old.files = entries; // touched, not changed: remember the new times, nothing to rebuild
        Path tmp = wh.path(DeliveryState.path(d.toString()) + ".tmp");
        wh.writeString(tmp, old.toJson());
        wh.fs().rename(tmp, wh.path(DeliveryState.path(d.toString())));
        return new Plan(null, null, "");
      }
      return new Plan(old, old.phase, "（续上次中断）");
    }
    DeliveryState st = new DeliveryState();
    st.deliveryDate = d.toString();
    st.files = entries;
    if (old != null) {
      LinkedHashSet<String> k = new LinkedHashSet<>(old.previousKinds);
      LinkedHashSet<String> a = new LinkedHashSet<>(old.previousAttendanceDates);
      k.addAll(old.kinds);
      a.addAll(old.attendanceDates);
      st.previousKinds = new ArrayList<>(k);
      st.previousAttendanceDates = new ArrayList<>(a);
    }
    return new Plan(st, null, old == null ? "" : "（重新交付，重建）");
  }

  private static boolean sameQuick(List<Landing.DeliveredFile> files, DeliveryState old) {
    if (files.size() != old.files.size()) {
      return false;
    }
    for (int i = 0; i < files.size(); i++) {
      Landing.DeliveredFile f = files.get(i);
      DeliveryState.FileEntry e = old.files.get(i);
      if (!f.name().equals(e.name) || f.size() != e.size || f.modified() != e.modified) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameContent(List<DeliveryState.FileEntry> files, DeliveryState old) {
    if (files.size() != old.files.size()) {
      return false;
    }
    for (int i = 0; i < files.size(); i++) {
      if (!files.get(i).name.equals(old.files.get(i).name) || !Objects.equals(files.get(i).sha256, old.files.get(i).sha256)) {
        return false;
      }
    }
    return true;
  }
}
