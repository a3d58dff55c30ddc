package baoxue.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import baoxue.testing.SparkTestSession;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The rules interpret their expressions when the work is small (delivered bytes times the
 * snapshots to compute) and generate code when it is large: a night of a county interprets, a
 * backfill of its term generates. An operator's explicit option always wins.
 */
class SessionsTest {
  @Test
  void aLightRunInterpretsItsExpressionsAndAHeavyOneGeneratesCode() {
    SparkSession spark = SparkTestSession.get();
    try {
      assertTrue(Sessions.codegen(spark, 54L << 20, 1), "a county's night at day 20");
      assertEquals("false", spark.conf().get("spark.sql.codegen.wholeStage"));
      assertEquals("NO_CODEGEN", spark.conf().get("spark.sql.codegen.factoryMode"));

      assertFalse(Sessions.codegen(spark, 54L << 20, 19), "its backfill of 19 dates");
      assertEquals("true", spark.conf().get("spark.sql.codegen.wholeStage"));
      assertEquals("FALLBACK", spark.conf().get("spark.sql.codegen.factoryMode"));

      assertTrue(Sessions.codegen(spark, 160_000, 31), "the shared sample's 31 dates");

      System.setProperty("baoxue.spark.sql.codegen.wholeStage", "true");
      spark.conf().set("spark.sql.codegen.wholeStage", "true");
      assertFalse(Sessions.codegen(spark, 1000, 1));
      assertEquals("true", spark.conf().get("spark.sql.codegen.wholeStage"), "the operator's option is kept");
    } finally {
      System.clearProperty("baoxue.spark.sql.codegen.wholeStage");
      Sessions.codegen(spark, 0, 1);
    }
  }
}
