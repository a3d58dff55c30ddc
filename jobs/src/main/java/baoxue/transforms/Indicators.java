package baoxue.transforms;

import static org.apache.spark.sql.functions.*;

import baoxue.marts.Rules;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Indicators per school × grade × group (indicators.md "Analyst interface", "Groups", "Target profiles"). */
public final class Indicators {
  private Indicators() {}

  /** The groups a student belongs to: always {@code all}, and every group whose flag is 是. */
  public static Column groups() {
    return filter(
        array(
            lit("all"),
            when(col("poverty"), lit("poverty")),
            when(col("disabled"), lit("disabled")),
            when(col("disabled_parent"), lit("disabled_parent")),
            when(col("left_behind"), lit("left_behind")),
            when(col("migrant"), lit("migrant"))),
        x -> x.isNotNull());
  }

  public static Column groupCn(Column g) {
    return when(g.equalTo("all"), lit("全体学生"))
        .when(g.equalTo("poverty"), lit("困难家庭"))
        .when(g.equalTo("disabled"), lit("残疾儿童"))
        .when(g.equalTo("disabled_parent"), lit("残疾人子女"))
        .when(g.equalTo("left_behind"), lit("留守儿童"))
        .when(g.equalTo("migrant"), lit("随迁子女"));
  }

  /** The active profile's target for a grade column. */
  public static Column target(Rules.Profile profile, Column grade) {
    Column t = null;
    for (Map.Entry<Integer, Double> e : profile.grades.entrySet()) {
      t = t == null ? when(grade.equalTo(e.getKey()), lit(e.getValue())) : t.when(grade.equalTo(e.getKey()), lit(e.getValue()));
    }
    return t.otherwise(lit(0.0));
  }

  /**
   * One row per school × base grade with group all, and per other group with base_enrollment &gt; 0.
   * Cohort columns follow the base cohort's fixed grade and groups; chronic_absent, open_alerts and
   * overdue_alerts count active students by their latest grade and groups.
   */
  public static Dataset<Row> indicators(
      Dataset<Row> outcomes,
      Dataset<Row> placement,
      Dataset<Row> chronic,
      Dataset<Row> alerts,
      Dataset<Row> schools,
      Rules rules) {
    Dataset<Row> cohort =
        outcomes
            .withColumn("group_name", explode(groups()))
            .groupBy(AsOf.columns("school_code", "grade", "group_name"))
            .agg(
                count(lit(1)).as("base_enrollment"),
                sum(when(col("is_dropout"), 1).otherwise(0)).cast("long").as("dropouts"),
                sum(when(col("is_returned"), 1).otherwise(0)).cast("long").as("returned"),
                sum(when(col("is_suspected_dropout"), 1).otherwise(0)).cast("long").as("suspected_dropouts"));
    Dataset<Row> alertCounts =
        alerts
            .groupBy(AsOf.columns("student_key"))
            .agg(
                sum(when(col("resolution").equalTo("open"), 1).otherwise(0)).as("_open"),
                sum(when(col("overdue"), 1).otherwise(0)).as("_overdue"));
    Dataset<Row> active =
        placement
            .where(col("active"))
            .join(alertCounts, AsOf.keys("student_key"), "left")
            .join(chronic.select(AsOf.col(), col("student_key"), lit(1).as("_chronic")), AsOf.keys("student_key"), "left")
            .withColumn("group_name", explode(groups()))
            .groupBy(AsOf.columns("school_code", "grade", "group_name"))
            .agg(
                sum(coalesce(col("_chronic"), lit(0))).cast("long").as("chronic_absent"),
                sum(coalesce(col("_open"), lit(0))).cast("long").as("open_alerts"),
                sum(coalesce(col("_overdue"), lit(0))).cast("long").as("overdue_alerts"));
    Column rate = when(col("base_enrollment").gt(0), col("dropouts").divide(col("base_enrollment")));
    Column target = target(rules.profile(), col("grade"));
    return cohort
        .join(active, AsOf.keys("school_code", "grade", "group_name"), "left")
        .join(schools.select(AsOf.COL, "school_code", "township"), AsOf.keys("school_code"), "left")
        .where(col("group_name").equalTo("all").or(col("base_enrollment").gt(0)))
        .select(
            AsOf.col(),
            AsOf.schoolYear().as("school_year"),
            col("school_code"),
            col("township"),
            col("grade"),
            col("group_name"),
            groupCn(col("group_name")).as("group_cn"),
            col("base_enrollment"),
            col("dropouts"),
            col("returned"),
            col("suspected_dropouts"),
            rate.as("attrition_rate"),
            target.as("target_rate"),
            coalesce(rate.gt(target), lit(false)).as("over_target"),
            lit(rules.activeProfile).as("target_profile"),
            coalesce(col("chronic_absent"), lit(0L)).as("chronic_absent"),
            coalesce(col("open_alerts"), lit(0L)).as("open_alerts"),
            coalesce(col("overdue_alerts"), lit(0L)).as("overdue_alerts"));
  }
}
