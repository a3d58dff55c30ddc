package baoxue.transforms;

import baoxue.testing.SparkTestSession;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Small inline fixtures for the rule tests: a few named rows, explicit schemas. */
final class Fixtures {
  private Fixtures() {}

  static LocalDate d(String s) {
    return LocalDate.parse(s);
  }

  /** Calendar from {@code from} to {@code to}: Mon–Fri school days, minus holidays, plus make-up days. */
  static Dataset<Row> calendar(String from, String to, Set<String> holidays, Set<String> makeUp) {
    List<Row> rows = new ArrayList<>();
    for (LocalDate x = d(from); !x.isAfter(d(to)); x = x.plusDays(1)) {
      boolean weekday = x.getDayOfWeek() != DayOfWeek.SATURDAY && x.getDayOfWeek() != DayOfWeek.SUNDAY;
      boolean school = (weekday && !holidays.contains(x.toString())) || makeUp.contains(x.toString());
      rows.add(RowFactory.create(x, school, CoreTransforms.schoolYear(x), CoreTransforms.term(x)));
    }
    StructType s =
        new StructType()
            .add("date", DataTypes.DateType, false)
            .add("is_school_day", DataTypes.BooleanType, false)
            .add("school_year", DataTypes.StringType, false)
            .add("term", DataTypes.StringType, false);
    return SparkTestSession.get().createDataFrame(rows, s);
  }

  /** Attendance: each row {student_key, school_code, date, status}. */
  static Dataset<Row> attendance(Object[]... rows) {
    List<Row> out = new ArrayList<>();
    for (Object[] r : rows) {
      out.add(RowFactory.create(r[0], r[1], d((String) r[2]), r[3]));
    }
    StructType s =
        new StructType()
            .add("student_key", DataTypes.StringType)
            .add("school_code", DataTypes.StringType)
            .add("date", DataTypes.DateType)
            .add("status", DataTypes.StringType);
    return SparkTestSession.get().createDataFrame(out, s);
  }

  /** Attendance of one student at school A: status codes p/e/u on consecutive given dates. */
  static Object[][] days(String key, String school, String... dateStatus) {
    Object[][] out = new Object[dateStatus.length][];
    for (int i = 0; i < dateStatus.length; i++) {
      String[] p = dateStatus[i].split(":");
      String st = p[1].equals("p") ? "present" : p[1].equals("e") ? "excused" : "unexcused";
      out[i] = new Object[] {key, school, p[0], st};
    }
    return out;
  }

  /** Changes: each row {change_id, student_key, change_type, change_date, approval}. */
  static Dataset<Row> changes(Object[]... rows) {
    List<Row> out = new ArrayList<>();
    for (Object[] r : rows) {
      out.add(RowFactory.create(r[0], r[1], r[2], d((String) r[3]), r[4]));
    }
    StructType s =
        new StructType()
            .add("change_id", DataTypes.StringType)
            .add("student_key", DataTypes.StringType)
            .add("change_type", DataTypes.StringType)
            .add("change_date", DataTypes.DateType)
            .add("approval", DataTypes.StringType);
    return SparkTestSession.get().createDataFrame(out, s);
  }

  /** Roster rows: {student_key, school_code, grade, status, snapshot_date[, hukou_outside]}. */
  static Dataset<Row> roster(Object[]... rows) {
    List<Row> out = new ArrayList<>();
    for (Object[] r : rows) {
      boolean hukou = r.length > 5 && (Boolean) r[5];
      out.add(RowFactory.create(r[0], r[1], r[2], "1", r[3], hukou, false, false, false, false, false, d((String) r[4])));
    }
    StructType s =
        new StructType()
            .add("student_key", DataTypes.StringType)
            .add("school_code", DataTypes.StringType)
            .add("grade", DataTypes.IntegerType)
            .add("class", DataTypes.StringType)
            .add("status", DataTypes.StringType)
            .add("hukou_outside", DataTypes.BooleanType)
            .add("poverty", DataTypes.BooleanType)
            .add("disabled", DataTypes.BooleanType)
            .add("disabled_parent", DataTypes.BooleanType)
            .add("left_behind", DataTypes.BooleanType)
            .add("migrant", DataTypes.BooleanType)
            .add("snapshot_date", DataTypes.DateType);
    return SparkTestSession.get().createDataFrame(out, s);
  }

  /** Case work: {student_key, date, type}. */
  static Dataset<Row> interventions(Object[]... rows) {
    List<Row> out = new ArrayList<>();
    for (Object[] r : rows) {
      out.add(RowFactory.create(r[0], d((String) r[1]), r[2]));
    }
    StructType s =
        new StructType()
            .add("student_key", DataTypes.StringType)
            .add("date", DataTypes.DateType)
            .add("type", DataTypes.StringType);
    return SparkTestSession.get().createDataFrame(out, s);
  }

  /** Schools: each row {school_code, township}. */
  static Dataset<Row> schools(String[]... rows) {
    List<Row> out = new ArrayList<>();
    for (String[] r : rows) {
      out.add(RowFactory.create(r[0], r[1]));
    }
    StructType s = new StructType().add("school_code", DataTypes.StringType).add("township", DataTypes.StringType);
    return SparkTestSession.get().createDataFrame(out, s);
  }

  /** Arrivals of a school's attendance: every school day from {@code from} to {@code to}, first delivered on {@code delivered} (null: on the day itself). */
  static List<Row> arrivals(Dataset<Row> calendar, String school, String from, String to, String delivered) {
    List<Row> out = new ArrayList<>();
    for (Row r : calendar.where("is_school_day").select("date").collectAsList()) {
      LocalDate x = r.getLocalDate(0);
      if (!x.isBefore(d(from)) && !x.isAfter(d(to))) {
        out.add(RowFactory.create(school, x, delivered == null ? x : d(delivered)));
      }
    }
    return out;
  }

  static Dataset<Row> arrivalsOf(List<Row> rows) {
    StructType s =
        new StructType()
            .add("school_code", DataTypes.StringType)
            .add("date", DataTypes.DateType)
            .add("first_delivery", DataTypes.DateType);
    return SparkTestSession.get().createDataFrame(rows, s);
  }

  /** The rows as inputs of the rules as of D (tagged with as_of = D). */
  static Dataset<Row> at(Dataset<Row> df, java.time.LocalDate d) {
    return AsOf.tag(df, d);
  }

  /** Rows of another as-of date carried to D (the state of the previous delivery, read on D's night). */
  static Dataset<Row> carried(Dataset<Row> df, java.time.LocalDate d) {
    return AsOf.tag(df.drop(AsOf.COL), d);
  }

  static Dataset<Row> noChanges() {
    return changes();
  }
}
