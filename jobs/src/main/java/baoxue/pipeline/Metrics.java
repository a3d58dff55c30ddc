package baoxue.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one process measured about itself, for {@code ./baoxue bench}: seconds per pipeline step
 * (summed over deliveries), peak JVM heap and peak resident set. Written as JSON at exit when the
 * system property {@code baoxue.metrics} names a file; otherwise only collected.
 */
public final class Metrics {
  private static final Map<String, Double> SECONDS = new LinkedHashMap<>();
  private static final Map<String, Long> COUNTS = new LinkedHashMap<>();

  /** A running job: what started it and when. */
  private record Started(String site, long time) {}

  private static final Map<Integer, Started> STARTED = new java.util.concurrent.ConcurrentHashMap<>();
  /** Seconds of Spark jobs by the line of our code that started them (jobs of concurrent writes overlap). */
  private static final Map<String, Double> BY_SITE = new LinkedHashMap<>();
  private static final java.util.Set<org.apache.spark.SparkContext> ATTACHED =
      java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());

  private Metrics() {}

  /** Counts the Spark jobs, stages and tasks a context runs (once per context). */
  public static synchronized void attach(org.apache.spark.SparkContext sc) {
    if (!ATTACHED.add(sc)) {
      return;
    }
    sc.addSparkListener(
        new org.apache.spark.scheduler.SparkListener() {
          @Override
          public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart e) {
            // what started the job: the step's description (set by the steps) and the call site
            String what = e.properties() == null ? null : e.properties().getProperty("spark.job.description");
            String site = e.stageInfos().isEmpty() ? "?" : e.stageInfos().apply(e.stageInfos().size() - 1).name();
            STARTED.put(e.jobId(), new Started((what == null ? "" : what + " / ") + site, e.time()));
          }

          @Override
          public void onJobEnd(org.apache.spark.scheduler.SparkListenerJobEnd e) {
            Started s = STARTED.remove(e.jobId());
            synchronized (Metrics.class) {
              COUNTS.merge("spark_jobs", 1L, Long::sum);
              if (s != null) {
                BY_SITE.merge(s.site(), (e.time() - s.time()) / 1000.0, Double::sum);
              }
            }
          }

          @Override
          public void onStageCompleted(org.apache.spark.scheduler.SparkListenerStageCompleted e) {
            addCount("spark_stages", 1);
            addCount("spark_tasks", e.stageInfo().numTasks());
          }
        });
  }

  /** Spark jobs finished so far in this process. */
  public static synchronized long sparkJobs() {
    return COUNTS.getOrDefault("spark_jobs", 0L);
  }

  /** A count added so far in this process (0 when none). */
  public static synchronized long count(String what) {
    return COUNTS.getOrDefault(what, 0L);
  }

  public static synchronized void addSeconds(String step, double seconds) {
    SECONDS.merge(step, seconds, Double::sum);
  }

  public static synchronized void addCount(String what, long n) {
    COUNTS.merge(what, n, Long::sum);
  }

  /** Peak heap in use: the sum of every heap pool's peak (an upper bound of the true peak). */
  public static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** Peak resident set of this process (VmHWM), or -1 where /proc is not available. */
  public static long peakRssBytes() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Writes the metrics file if {@code -Dbaoxue.metrics=FILE} was given. */
  public static synchronized void writeIfRequested(int exitCode) {
    String file = System.getProperty("baoxue.metrics");
    if (file == null || file.isBlank()) {
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("exit_code", exitCode);
    m.put("step_seconds", new LinkedHashMap<>(SECONDS));
    m.put("counts", new LinkedHashMap<>(COUNTS));
    Map<String, Double> top = new LinkedHashMap<>();
    BY_SITE.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(25)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    m.put("spark_job_seconds_by_call_site", top);
    m.put("jvm_uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    m.put("peak_heap_bytes", peakHeapBytes());
    m.put("peak_rss_bytes", peakRssBytes());
    m.put("gc_seconds", ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(g -> Math.max(0, g.getCollectionTime())).sum() / 1000.0);
    try {
      Files.writeString(Path.of(file), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(m));
    } catch (IOException e) {
      System.err.println("警告：无法写出测量结果 " + file + "：" + e.getMessage());
    }
  }
}
