package baoxue.spark;

import baoxue.ingest.ParsedLayout;
import baoxue.schema.TableSpec;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Declared schemas to Spark types: schemas are declared, never inferred. */
public final class SparkTypes {
  private SparkTypes() {}

  public static DataType of(String logical) {
    switch (logical) {
      case "string":
        return DataTypes.StringType;
      case "int":
        return DataTypes.IntegerType;
      case "long":
        return DataTypes.LongType;
      case "double":
        return DataTypes.DoubleType;
      case "boolean":
        return DataTypes.BooleanType;
      case "date":
        return DataTypes.DateType;
      case "array<string>":
        return DataTypes.createArrayType(DataTypes.StringType, true);
      default:
        throw new IllegalArgumentException("unknown logical type " + logical);
    }
  }

  public static StructType parsed(List<ParsedLayout.Field> fields) {
    StructType s = new StructType();
    for (ParsedLayout.Field f : fields) {
      s = s.add(f.name(), of(f.type()), true);
    }
    return s;
  }

  /** The full schema of a declared table, partition columns included, with Chinese comments. */
  public static StructType of(TableSpec t) {
    StructField[] fields = new StructField[t.columns.size()];
    for (int i = 0; i < fields.length; i++) {
      TableSpec.Column c = t.columns.get(i);
      Metadata md =
          c.comment == null ? Metadata.empty() : new MetadataBuilder().putString("comment", c.comment).build();
      fields[i] = new StructField(c.name, of(c.type), c.nullable, md);
    }
    return new StructType(fields);
  }

  /** The schema of the files of a table: without its partition columns. */
  public static StructType dataColumns(TableSpec t) {
    StructType all = of(t);
    StructType s = new StructType();
    for (StructField f : all.fields()) {
      if (!t.partitionBy.contains(f.name())) {
        s = s.add(f);
      }
    }
    return s;
  }
}
