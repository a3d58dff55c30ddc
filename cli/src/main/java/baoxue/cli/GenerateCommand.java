package baoxue.cli;

import baoxue.generate.CountyGenerator;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./baoxue generate}. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "生成一个合成县的交付目录（契约格式），包含规范中的各种情形和各种不规范格式。",
      "同一个 --seed 总是生成同样的数据。逐校流式写盘，内存占用与规模无关。"
    })
public final class GenerateCommand implements java.util.concurrent.Callable<Integer> {
  @Option(names = "--out", required = true, description = "输出的交付目录")
  Path out;

  @Option(names = "--schools", description = "学校数（默认按 --scale）")
  Integer schools;

  @Option(names = "--seed", defaultValue = "1", description = "随机种子（默认 ${DEFAULT-VALUE}）")
  long seed;

  @Option(names = "--start", defaultValue = "2025-09-01", description = "第一个交付日（默认 ${DEFAULT-VALUE}）")
  LocalDate start;

  @Option(names = "--end", defaultValue = "2025-10-31", description = "最后一个交付日（默认 ${DEFAULT-VALUE}）")
  LocalDate end;

  @Option(
      names = "--scale",
      defaultValue = "county",
      description = "规模：demo（约 2 千学生）、county（约 5 万）、prefecture（约 50 万）、province（约 1000 万）；默认 ${DEFAULT-VALUE}")
  String scale;

  @Option(names = "--clean", description = "只生成规范格式（UTF-8、ISO 日期、标准列序、无坏行）；情形、迟交与更正照旧。性能测试用")
  boolean clean;

  @Override
  public Integer call() throws Exception {
    CountyGenerator.Scale sc = CountyGenerator.Scale.of(scale);
    CountyGenerator g = new CountyGenerator(seed, schools == null ? sc.schools() : schools, sc.meanSize(), start, end).clean(clean);
    CountyGenerator.Stats s = g.write(out, System.out);
    System.out.printf(
        "已生成 %s：%d 所学校，%d 名学生，%d 个交付日，%d 个文件，%,d 行考勤（%.1f 秒）。%n",
        out, s.schools(), s.students(), s.deliveries(), s.files(), s.attendanceRows(), s.seconds());
    return 0;
  }
}
