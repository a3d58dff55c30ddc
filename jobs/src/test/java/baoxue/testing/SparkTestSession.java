package baoxue.testing;

import org.apache.spark.sql.SparkSession;

/** One local SparkSession for the whole test JVM: local[2], UI off, two shuffle partitions. */
public final class SparkTestSession {
  private static SparkSession spark;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      System.setProperty("baoxue.shufflePartitions", "2");
      spark =
          SparkSession.builder()
              .master("local[2]")
              .appName("baoxue-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.sql.adaptive.enabled", "true")
              .config("spark.sql.datetime.java8API.enabled", "true")
              .config("spark.sql.session.timeZone", "UTC")
              .config("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
              .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
              .getOrCreate();
    }
    return spark;
  }
}
