package baoxue.cli;

import baoxue.analyst.SqlRunner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./baoxue sql}. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "在仓库的分析库 baoxue.duckdb 上执行一条只读 SQL。不给 SQL 时列出全部视图及其中文说明。",
      "例：./baoxue sql --warehouse demo-output/warehouse \"SELECT * FROM indicators LIMIT 5\""
    })
public final class SqlCommand implements Callable<Integer> {
  @Option(names = "--warehouse", required = true, description = "仓库目录")
  Path warehouse;

  @Option(names = "--format", defaultValue = "table", description = "输出格式 table、csv 或 json（默认 ${DEFAULT-VALUE}）")
  String format;

  @Parameters(arity = "0..1", paramLabel = "SQL", description = "要执行的 SQL（只读）")
  String sql;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("table") && !format.equals("csv") && !format.equals("json")) {
      throw new Main.UserError("--format 只能是 table、csv 或 json");
    }
    SqlRunner.Result r;
    try {
      r = sql == null ? SqlRunner.listViews(warehouse) : SqlRunner.query(warehouse, sql);
    } catch (java.sql.SQLException e) {
      throw new Main.UserError("SQL 执行失败：" + e.getMessage());
    }
    System.out.print(SqlRunner.format(r, format));
    if (sql == null) {
      System.out.println("各视图的列及其说明：./baoxue sql --warehouse " + warehouse
          + " \"SELECT table_name, column_name, data_type, comment FROM duckdb_columns() WHERE table_name = 'alerts'\"");
    }
    return 0;
  }
}
