package baoxue.transforms;

import static org.apache.spark.sql.functions.*;

import baoxue.schema.ColumnSpec;
import baoxue.schema.Schemas;
import java.time.LocalDate;
import java.time.Month;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The core layer's rules: one pure function per contract rule, staged rows in, entities out. */
public final class CoreTransforms {
  private CoreTransforms() {}

  /**
   * Corrections (extracts.md): for each key, the row of the latest delivery wins; of each as_of
   * date when the rows are tagged with as-of dates ({@link AsOf}), so a snapshot sees the
   * corrections delivered up to its date only.
   */
  public static Dataset<Row> latestByKey(Dataset<Row> staged, List<String> key) {
    return staged
        .withColumn(
            "_n",
            row_number()
                .over(
                    Window.partitionBy(withAsOf(staged, key).stream().map(functions::col).toArray(Column[]::new))
                        .orderBy(col("delivery_date").desc(), col("source_file").desc(), col("source_line").desc())))
        .where(col("_n").equalTo(1))
        .drop("_n");
  }

  /** The key with as_of first when the rows are tagged with as-of dates. */
  private static List<String> withAsOf(Dataset<Row> df, List<String> key) {
    if (!java.util.Arrays.asList(df.columns()).contains(AsOf.COL)) {
      return key;
    }
    List<String> k = new ArrayList<>();
    k.add(AsOf.COL);
    k.addAll(key);
    return k;
  }

  /** The English code of an enum column's Chinese value, as declared in schemas/extracts. */
  public static Column code(String kind, String column) {
    ColumnSpec c = Schemas.extract(kind).column(column).orElseThrow();
    Column out = null;
    for (Map.Entry<String, String> e : c.codes.entrySet()) {
      out = out == null
          ? when(col(column).equalTo(e.getKey()), lit(e.getValue()))
          : out.when(col(column).equalTo(e.getKey()), lit(e.getValue()));
    }
    return out;
  }

  /** Schools: latest version per code; whether the latest full list still names it. */
  public static Dataset<Row> schools(Dataset<Row> staged) {
    boolean tagged = java.util.Arrays.asList(staged.columns()).contains(AsOf.COL);
    Column latestList = max(col("delivery_date")).over(tagged ? Window.partitionBy(AsOf.col()) : Window.partitionBy());
    return selectTagged(
        latestByKey(staged, List.of("school_code")).withColumn("_latest_list", latestList),
            col("school_code"),
            col("school_name"),
            col("township"),
            code("schools", "stage_cn").as("stage"),
            col("stage_cn"),
            col("responsible_officer"),
            col("delivery_date").equalTo(col("_latest_list")).as("listed_in_latest"),
            col("delivery_date"));
  }

  /** The columns, with as_of first when the rows are tagged with as-of dates. */
  private static Dataset<Row> selectTagged(Dataset<Row> df, Column... columns) {
    if (!java.util.Arrays.asList(df.columns()).contains(AsOf.COL)) {
      return df.select(columns);
    }
    Column[] c = new Column[columns.length + 1];
    c[0] = AsOf.col();
    System.arraycopy(columns, 0, c, 1, columns.length);
    return df.select(c);
  }

  /** The school year (e.g. 2025-2026) a date falls in: 1 September to 31 August. */
  public static String schoolYear(LocalDate d) {
    int start = d.getMonthValue() >= 9 ? d.getYear() : d.getYear() - 1;
    return start + "-" + (start + 1);
  }

  /** Term: autumn (上学期) 1 September – 31 January, spring (下学期) 1 February – 31 August. */
  public static String term(LocalDate d) {
    return d.getMonthValue() >= 9 || d.getMonth() == Month.JANUARY ? "autumn" : "spring";
  }

  /**
   * Calendar: every date of the school years from {@code first} to {@code last}; a delivered date
   * takes its latest delivery's value, any other date is a school day if Monday to Friday.
   */
  public static Dataset<Row> calendar(SparkSession spark, Dataset<Row> staged, LocalDate first, LocalDate last) {
    return calendar(spark, staged, first, last, null);
  }

  /**
   * The calendar as of each date of {@code asOfs} (staged rows tagged with the dates they are
   * known at, {@link AsOf#known}): every date of the school years from {@code first} to that
   * date's school year.
   */
  public static Dataset<Row> calendarAsOf(SparkSession spark, Dataset<Row> staged, LocalDate first, java.util.Collection<LocalDate> asOfs) {
    LocalDate last = java.util.Collections.max(asOfs);
    Column yearEnd = make_date(year(AsOf.yearStart()).plus(1), lit(8), lit(31));
    return calendar(spark, staged, first, last, asOfs).where(col("date").leq(yearEnd));
  }

  private static Dataset<Row> calendar(
      SparkSession spark, Dataset<Row> staged, LocalDate first, LocalDate last, java.util.Collection<LocalDate> asOfs) {
    LocalDate from = LocalDate.of(Integer.parseInt(schoolYear(first).substring(0, 4)), 9, 1);
    LocalDate to = LocalDate.of(Integer.parseInt(schoolYear(last).substring(5)), 8, 31);
    List<Row> days = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      days.add(RowFactory.create(d, d.getDayOfWeek().getValue() <= 5, schoolYear(d), term(d)));
    }
    StructType s =
        new StructType()
            .add("date", DataTypes.DateType, false)
            .add("_default_school_day", DataTypes.BooleanType, false)
            .add("school_year", DataTypes.StringType, false)
            .add("term", DataTypes.StringType, false);
    Dataset<Row> all = spark.createDataFrame(days, s);
    List<Column> out = new ArrayList<>();
    if (asOfs != null) {
      all = AsOf.tag(all, asOfs);
      out.add(AsOf.col());
    }
    Dataset<Row> delivered =
        latestByKey(staged, List.of("date"))
            .select(asOfs == null ? lit(null).as(AsOf.COL) : AsOf.col(), col("date"), col("is_school_day"), col("description"), col("delivery_date"));
    if (asOfs == null) {
      delivered = delivered.drop(AsOf.COL);
    }
    out.addAll(
        List.of(
            col("date"),
            coalesce(col("is_school_day"), col("_default_school_day")).as("is_school_day"),
            col("description"),
            when(col("delivery_date").isNotNull(), lit("delivered")).otherwise(lit("default")).as("source"),
            col("school_year"),
            col("term"),
            col("delivery_date")));
    return all.join(delivered, asOfs == null ? new String[] {"date"} : AsOf.keys("date"), "left").select(out.toArray(Column[]::new));
  }

  /** Roster snapshot: the staged roster of one delivery, with codes and the poverty group. */
  public static Dataset<Row> roster(Dataset<Row> stagedStudents) {
    return stagedStudents.select(
        col("student_key"),
        col("school_code"),
        col("grade"),
        col("class"),
        code("students", "gender_cn").as("gender"),
        col("gender_cn"),
        col("birth_year"),
        code("students", "status_cn").as("status"),
        col("status_cn"),
        flag("hukou_outside"),
        flag("poverty_card"),
        flag("dibao"),
        flag("poverty_card").or(flag("dibao")).as("poverty"),
        flag("disabled"),
        flag("disabled_parent"),
        flag("left_behind"),
        flag("migrant"),
        col("delivery_date").as("snapshot_date"));
  }

  /** An optional 是/否 flag: empty means 否. */
  private static Column flag(String c) {
    return coalesce(col(c), lit(false)).as(c);
  }

  /** Attendance: the current value per student and day, from the latest delivery. */
  public static Dataset<Row> attendance(Dataset<Row> staged) {
    return selectTagged(
        latestByKey(staged, List.of("student_key", "date")),
            col("student_key"),
            col("school_code"),
            code("attendance", "status_cn").as("status"),
            col("status_cn"),
            col("delivery_date"),
            col("date"));
  }

  /** Registry changes: latest version per change id, with codes. */
  public static Dataset<Row> changes(Dataset<Row> staged) {
    return selectTagged(
        latestByKey(staged, List.of("change_id")),
            col("change_id"),
            col("student_key"),
            code("changes", "change_type_cn").as("change_type"),
            col("change_type_cn"),
            col("change_date"),
            col("from_school_code"),
            col("to_school_code"),
            code("changes", "approval_cn").as("approval"),
            col("approval_cn"),
            col("delivery_date"));
  }

  /** Case work: latest version per record id, with codes. */
  public static Dataset<Row> interventions(Dataset<Row> staged) {
    return selectTagged(
        latestByKey(staged, List.of("record_id")),
            col("record_id"),
            col("student_key"),
            col("date"),
            code("interventions", "type_cn").as("type"),
            col("type_cn"),
            col("responsible"),
            code("interventions", "result_cn").as("result"),
            col("result_cn"),
            code("interventions", "reason_category_cn").as("reason_category"),
            col("reason_category_cn"),
            col("delivery_date"));
  }

  /** Inspection findings: latest version per inspection id. */
  public static Dataset<Row> inspections(Dataset<Row> staged) {
    return selectTagged(
        latestByKey(staged, List.of("inspection_id")),
            col("inspection_id"),
            col("date"),
            col("school_code"),
            col("grade"),
            col("class"),
            col("on_register"),
            col("present"),
            col("on_leave"),
            col("unseen_student_keys"),
            col("inspector"),
            col("delivery_date"));
  }
}
