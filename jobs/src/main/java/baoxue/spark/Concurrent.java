package baoxue.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Independent Spark jobs submitted from a few driver threads: one job's planning overlaps
 * another's tasks. Used where the jobs are many and small (staging the kinds of a delivery,
 * writing the marts).
 */
public final class Concurrent {
  private Concurrent() {}

  /**
   * Runs every task on a pool of {@code threads} threads and returns the results in the tasks'
   * order. The first failure (in that order) is rethrown as its own exception or error, but only
   * after the pool has stopped: the other tasks finish before a caller discards the transaction
   * they write into.
   */
  public static <K, V> Map<K, V> all(int threads, Map<K, Callable<V>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      Map<K, Future<V>> running = new LinkedHashMap<>();
      tasks.forEach((k, task) -> running.put(k, pool.submit(task)));
      Map<K, V> results = new LinkedHashMap<>();
      for (Map.Entry<K, Future<V>> e : running.entrySet()) {
        try {
          results.put(e.getKey(), e.getValue().get());
        } catch (ExecutionException x) {
          if (x.getCause() instanceof Error er) {
            throw er;
          }
          throw x.getCause() instanceof Exception ex ? ex : new RuntimeException(x.getCause());
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.MINUTES);
    }
  }
}
