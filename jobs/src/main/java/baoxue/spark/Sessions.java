package baoxue.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one place a SparkSession is configured. Embedded {@code local[*]} unless a master is given
 * (BAOXUE_SPARK_MASTER or spark-submit's --master), UI off, few shuffle partitions for small
 * inputs (AQE coalesces the rest), dates as java.time.
 */
public final class Sessions {
  private Sessions() {}

  public static SparkSession getOrCreate(String appName) {
    return getOrCreate(appName, null);
  }

  /**
   * As {@link #getOrCreate(String)}, with an explicit master (the tests use {@code local[2]});
   * null means BAOXUE_SPARK_MASTER or {@code local[*]}.
   */
  public static SparkSession getOrCreate(String appName, String forcedMaster) {
    SparkSession.Builder b =
        SparkSession.builder()
            .appName(appName)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", System.getProperty("baoxue.shufflePartitions", "4"))
            .config("spark.sql.adaptive.enabled", "true")
            .config("spark.sql.datetime.java8API.enabled", "true")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.parquet.compression.codec", "zstd")
            .config("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
            .config("spark.hadoop.parquet.summary.metadata.level", "NONE")
            .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
            // list partition folders on the driver: a listing job per read costs more than it saves below ~1000 folders
            .config("spark.sql.sources.parallelPartitionDiscovery.threshold", "1024")
            // memory that stays after a job (measured with JFR old-object samples over a sample run):
            // the page size derives from heap / cores / 16 (64 MB here), and every broadcast hash table,
            // even of ten rows, takes a whole page and stays in the block manager until the driver's GC
            // lets the context cleaner drop it; small pages keep those leftovers small
            .config("spark.buffer.pageSize", "4m")
            // the UI is off, but the status store still keeps every query's plan text (megabytes each
            // for the marts) for the last 1000 queries; keep a few, and cap the text
            .config("spark.sql.ui.retainedExecutions", "20")
            .config("spark.ui.retainedJobs", "100")
            .config("spark.ui.retainedStages", "100")
            .config("spark.sql.maxPlanStringLength", "65536")
            // a night runs a few hundred small queries of the same shapes; Spark keeps only 100
            // compiled classes by default, so most queries compiled their code again (Janino, tens
            // of milliseconds to seconds each)
            .config("spark.sql.codegen.cache.maxEntries", "2000");
    // -Dbaoxue.spark.<key>=<value> sets any Spark option (the bench's experiments, an operator's tuning)
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("baoxue.spark.")) {
        b = b.config(name.substring("baoxue.".length()), System.getProperty(name));
      }
    }
    boolean submitted = System.getProperty("spark.master") != null;
    if (!submitted) {
      String master = forcedMaster != null ? forcedMaster : System.getenv("BAOXUE_SPARK_MASTER");
      b = b.master(master == null || master.isBlank() ? "local[*]" : master);
      b = b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
    }
    SparkSession spark = b.getOrCreate();
    baoxue.pipeline.Metrics.attach(spark.sparkContext());
    return spark;
  }

  /** Below this much delivered CSV (about a million rows) a run is "small"; above, one shuffle partition per this much. */
  static final long PARTITION_BYTES = 64L << 20;

  /**
   * Sizes the session for a run whose pending work is {@code bytes} of delivered CSV (the files of
   * the deliveries it builds or recomputes; not the history its marts read, which on a county's
   * usual night is 80 times larger and, counted, turned 59 Spark jobs into 295). Small (a school,
   * a township, the samples, a county's usual night): adaptive execution off, because its re-planning of every
   * stage costs more than it saves on kilobytes, and one shuffle partition (a task per stage, not
   * four). Large: adaptive execution on and shuffle partitions from the input (64 MB each, at least
   * 4, at most 400), which AQE coalesces where a stage turns out smaller. An explicit
   * {@code -Dbaoxue.shufflePartitions} (the tests use 2) always wins. Measured on the sample's first
   * five deliveries (docs/performance.md): about 164 s before, 95 s small. Small runs also plan
   * without broadcast joins and keep shared results as local checkpoints ({@link #keep}).
   */
  public static String tune(SparkSession spark, long bytes) {
    String forced = System.getProperty("baoxue.shufflePartitions");
    boolean small = bytes < PARTITION_BYTES;
    Sessions.small = small && !"false".equals(System.getProperty("baoxue.checkpointSmall"));
    long partitions = small ? 1 : Math.max(4, Math.min(400, bytes / PARTITION_BYTES));
    if (System.getProperty("baoxue.spark.sql.adaptive.enabled") == null) {
      spark.conf().set("spark.sql.adaptive.enabled", String.valueOf(!small));
    }
    if (System.getProperty("baoxue.spark.sql.autoBroadcastJoinThreshold") == null) {
      // small: no broadcast joins — each broadcast is a Spark job of its own, and with one shuffle
      // partition a sort-merge join is one more stage of the same job (339 → 189 jobs, 46 → 36 s of
      // marts on the sample's first four deliveries, with the local checkpoints of keep())
      spark.conf().set("spark.sql.autoBroadcastJoinThreshold", small ? "-1" : String.valueOf(10L << 20));
    }
    spark.conf().set("spark.sql.shuffle.partitions", forced != null ? forced : String.valueOf(partitions));
    return (small ? "small" : "large") + ", " + spark.conf().get("spark.sql.shuffle.partitions") + " shuffle partitions";
  }

  /**
   * Generated code or interpreted expressions, from the work a run's rules face: the delivered
   * bytes up to its date times the snapshots it computes (a night one, a backfill every pending
   * date). Below {@link #PARTITION_BYTES} expressions are interpreted and no whole-stage code is
   * generated: compiling each query's code (Janino, 18 % of a demo night's CPU) costs more than it
   * saves on these rows. Measured (docs/performance.md, the same rows in every table): demo night
   * 55.2 → 41.8 s, county night at day 20 85.3 → 76.4 s; but the county's backfill of 19 dates,
   * interpreted, 395 → 611 s — so a backfill of that size keeps generated code. An explicit
   * {@code -Dbaoxue.spark.sql.codegen.*} always wins. Returns whether expressions are interpreted.
   */
  public static boolean codegen(SparkSession spark, long bytes, int snapshots) {
    if (System.getProperty("baoxue.spark.sql.codegen.wholeStage") != null
        || System.getProperty("baoxue.spark.sql.codegen.factoryMode") != null) {
      return !Boolean.parseBoolean(spark.conf().get("spark.sql.codegen.wholeStage"));
    }
    boolean interpret = (double) bytes * Math.max(1, snapshots) < PARTITION_BYTES;
    spark.conf().set("spark.sql.codegen.wholeStage", String.valueOf(!interpret));
    spark.conf().set("spark.sql.codegen.factoryMode", interpret ? "NO_CODEGEN" : "FALLBACK");
    return interpret;
  }

  private static volatile boolean small;
  private static final java.util.List<org.apache.spark.sql.Dataset<?>> KEPT = new java.util.ArrayList<>();

  /**
   * A result several rules read. Large runs cache it. Small runs (see {@link #tune}) materialise it
   * at once as a local checkpoint: the rules after it then plan against a scan of its rows instead
   * of re-analysing and re-optimising the whole plan that made it in every one of their jobs, which
   * on kilobytes of data is most of a night's time. Released by {@link #release}.
   */
  public static <T> org.apache.spark.sql.Dataset<T> keep(org.apache.spark.sql.Dataset<T> d) {
    if (!small) {
      return d.cache();
    }
    org.apache.spark.sql.Dataset<T> c = d.localCheckpoint(true);
    synchronized (KEPT) {
      KEPT.add(c);
    }
    return c;
  }

  /**
   * At the end of a step: clears the cache and forgets the local checkpoints of {@link #keep}
   * (their blocks, kilobytes to a few megabytes on a small run, are freed by Spark's context
   * cleaner once the datasets are collected).
   */
  public static void release(SparkSession spark) {
    synchronized (KEPT) {
      for (org.apache.spark.sql.Dataset<?> d : KEPT) {
        d.unpersist(false);
      }
      KEPT.clear();
    }
    spark.catalog().clearCache();
  }
}
