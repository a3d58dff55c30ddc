package baoxue.jobs.staged;

import static org.apache.spark.sql.functions.*;

import baoxue.ingest.ExtractFileParser;
import baoxue.ingest.ParsedLayout;
import baoxue.privacy.Pseudonym;
import baoxue.schema.ColumnSpec;
import baoxue.schema.ExtractSpec;
import baoxue.schema.Schemas;
import baoxue.schema.TableSpec;
import baoxue.spark.SparkTypes;
import baoxue.transforms.Validation;
import baoxue.warehouse.Landing.DeliveredFile;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Stages one extract kind of one or several deliveries: source (the delivered CSV files, read in
 * parallel, one task per group of files, each row tagged with its delivery), transform (contract validation, key conflicts, duplicates), and the
 * outputs the stage step writes: staged rows, their restricted part, quarantine and per-file log.
 */
public final class StageExtract {
  /**
   * The datasets produced for one kind; {@link #release()} frees what is cached (the parse, the
   * loaded rows and the quarantine: each is read by several outputs).
   */
  public record Result(
      String kind,
      Dataset<Row> staged,
      Dataset<Row> restricted,
      Dataset<Row> quarantine,
      Dataset<Row> log,
      Dataset<Row> parsed,
      Dataset<Row> loaded) {
    public void release() {
      quarantine.unpersist();
      loaded.unpersist();
      parsed.unpersist();
    }
  }

  private StageExtract() {}

  /** A delivered file with the delivery it belongs to. */
  public record Dated(LocalDate delivery, DeliveredFile file) {}

  /**
   * Source: parse every file of the kind, of every delivery of a set, in one job. Each file is
   * checked against its own delivery (dates not after it, the school codes known up to it:
   * {@code knownSchools}); the rows carry {@code delivery_date}.
   */
  public static Dataset<Row> parse(
      SparkSession spark,
      ExtractSpec spec,
      List<Dated> files,
      Map<LocalDate, Set<String>> knownSchools,
      Pseudonym pseudonym) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String paths = String.join(",", files.stream().map(f -> f.file().uri()).toList());
    int parts = Math.max(1, Math.min(files.size(), jsc.defaultParallelism() * 2));
    // one parser per delivery; deliveries that know the same schools share one set (serialised once)
    Map<String, ExtractFileParser> parsers = new HashMap<>();
    for (Dated f : files) {
      parsers.computeIfAbsent(
          f.delivery().toString(),
          d -> new ExtractFileParser(spec, f.delivery(), knownSchools.get(f.delivery()), pseudonym));
    }
    JavaRDD<Row> rows =
        jsc.binaryFiles(paths, parts)
            .flatMap(
                t -> {
                  String path = t._1();
                  String name = path.substring(path.lastIndexOf('/') + 1);
                  String parent = path.substring(0, path.lastIndexOf('/'));
                  String folder = parent.substring(parent.lastIndexOf('/') + 1); // YYYY-MM-DD
                  LocalDate delivery = LocalDate.parse(folder);
                  Iterator<Object[]> it = parsers.get(folder).parse(folder + "/" + name, () -> t._2().open());
                  return new Iterator<Row>() {
                    @Override
                    public boolean hasNext() {
                      return it.hasNext();
                    }

                    @Override
                    public Row next() {
                      Object[] r = it.next();
                      Object[] out = java.util.Arrays.copyOf(r, r.length + 1);
                      out[r.length] = delivery;
                      return RowFactory.create(out);
                    }
                  };
                });
    return spark.createDataFrame(
        rows, SparkTypes.parsed(ParsedLayout.fields(spec)).add(DELIVERY, SparkTypes.of("date"), false));
  }

  /** The column every parsed row carries: the delivery it came in. */
  public static final String DELIVERY = "delivery_date";

  /** Transform: validation and the split into the stage step's outputs. */
  public static Result stage(Dataset<Row> parsedRaw, ExtractSpec spec) {
    Dataset<Row> parsed = parsedRaw.persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> readable = Validation.markKeyConflicts(Validation.readableRows(parsed), spec);
    Dataset<Row> conflicted = readable.where(col("_conflict").isNotNull());
    // the loaded rows feed the staged and restricted tables, the file log and the dates; the
    // quarantine feeds two tables and the log: computed once each (measured: docs/performance.md)
    Dataset<Row> loaded =
        Validation.dropDuplicateKeys(readable.where(col("_conflict").isNull()), spec)
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> quarantine = Validation.quarantine(parsed, conflicted, spec.kind).persist(StorageLevel.MEMORY_AND_DISK());
    return new Result(
        spec.kind,
        select(loaded, Schemas.staged(spec.kind)),
        restrictedRows(loaded, spec),
        quarantine,
        fileLog(parsed, loaded, quarantine, spec.kind),
        parsed,
        loaded);
  }

  private static Dataset<Row> restrictedRows(Dataset<Row> loaded, ExtractSpec spec) {
    Dataset<Row> r = loaded;
    if (Schemas.hasRestrictedPayload(spec.kind)) {
      List<Column> any = new ArrayList<>();
      for (ColumnSpec c : spec.columns) {
        if (c.restricted() && !c.type.equals("student_no")) {
          any.add(col(c.name).isNotNull());
        }
      }
      r = r.where(any.stream().reduce(Column::or).orElseThrow());
    }
    return select(r, Schemas.restrictedStaged(spec.kind));
  }

  /** Selects a declared table's columns from loaded rows, deriving the few computed ones. */
  static Dataset<Row> select(Dataset<Row> loaded, TableSpec t) {
    List<Column> cols = new ArrayList<>();
    for (TableSpec.Column c : t.columns) {
      Column v;
      switch (c.name) {
        case "source_file":
          v = col(ParsedLayout.FILE);
          break;
        case "source_line":
          v = col(ParsedLayout.LINE);
          break;
        case "birth_year":
          v = year(col("birth_date"));
          break;
        default:
          v = col(c.name);
      }
      cols.add(v.cast(SparkTypes.of(c.type)).as(c.name));
    }
    return loaded.select(cols.toArray(Column[]::new));
  }

  private static Dataset<Row> fileLog(
      Dataset<Row> parsed, Dataset<Row> loaded, Dataset<Row> quarantine, String kind) {
    Dataset<Row> files =
        parsed
            .where(col(ParsedLayout.RECORD).equalTo("file"))
            .select(
                col(ParsedLayout.FILE).as("file"),
                col(DELIVERY),
                col(ParsedLayout.ENCODING).as("encoding"),
                col(ParsedLayout.ERROR).isNotNull().as("file_rejected"),
                when(col(ParsedLayout.ERROR).isNotNull(),
                        concat(col(ParsedLayout.WARNINGS), array(col(ParsedLayout.ERROR))))
                    .otherwise(col(ParsedLayout.WARNINGS))
                    .as("warnings"));
    Dataset<Row> read =
        parsed.where(col(ParsedLayout.RECORD).equalTo("row")).groupBy(col(ParsedLayout.FILE).as("file"))
            .agg(count(lit(1)).as("rows_read"));
    Dataset<Row> ok = loaded.groupBy(col(ParsedLayout.FILE).as("file")).agg(count(lit(1)).as("rows_loaded"));
    Dataset<Row> bad =
        quarantine.where(col("level").equalTo("row")).groupBy(col("file")).agg(count(lit(1)).as("rows_quarantined"));
    return files
        .join(read, "file", "left")
        .join(ok, "file", "left")
        .join(bad, "file", "left")
        .select(
            col("file"),
            lit(kind).as("kind"),
            col("encoding"),
            coalesce(col("rows_read"), lit(0L)).as("rows_read"),
            coalesce(col("rows_loaded"), lit(0L)).as("rows_loaded"),
            coalesce(col("rows_quarantined"), lit(0L)).as("rows_quarantined"),
            col("file_rejected"),
            col("warnings"),
            col(DELIVERY));
  }
}
