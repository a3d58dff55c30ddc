package baoxue.testing;

import baoxue.spark.Sessions;
import org.apache.spark.sql.SparkSession;

/** One SparkSession for the whole test JVM: the production configuration, local[2], two shuffle partitions. */
public final class SparkTestSession {
  private static SparkSession spark;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      System.setProperty("baoxue.shufflePartitions", "2");
      spark = Sessions.getOrCreate("baoxue-tests", "local[2]");
    }
    return spark;
  }
}
