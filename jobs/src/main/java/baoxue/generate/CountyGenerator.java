package baoxue.generate;

import baoxue.ingest.IdNumbers;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Writes a synthetic county in the extract contract's format, school by school so that memory
 * stays flat whatever the size. Deterministic for a seed. Every story the spec knows is planted
 * at small rates (see {@link Story}), and so are the awkward formats: GB18030 with CRLF, BOMs,
 * shuffled and extra columns, Excel dates, late files, corrections and bad rows.
 */
public final class CountyGenerator {
  /** Named sizes; {@code meanSize} is the mean number of students of a school. */
  public enum Scale {
    DEMO(6, 400),
    COUNTY(60, 1100),
    PREFECTURE(600, 1100),
    PROVINCE(12000, 1100);

    private final int schools;
    private final int meanSize;

    Scale(int schools, int meanSize) {
      this.schools = schools;
      this.meanSize = meanSize;
    }

    public int schools() {
      return schools;
    }

    public int meanSize() {
      return meanSize;
    }

    public static Scale of(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("未知规模 " + s + "（demo、county、prefecture、province）");
      }
    }
  }

  /**
   * Version of what a seed generates; bumped whenever the output changes (benchmarks cache the
   * generated data under it). 2: record ids carry the whole student number (two students with the
   * same last six digits in one school collided). 3: a dropout with the full paperwork starts early
   * enough for its 辍学 change to fall inside the generated days.
   */
  public static final int VERSION = 3;

  /** {@link #VERSION}, read at run time (a constant would be compiled into callers in other modules). */
  public static int version() {
    return VERSION;
  }

  /** What was written. */
  public record Stats(int schools, long students, int deliveries, long files, long attendanceRows, double seconds) {}

  /** The stories a student can carry. */
  enum Story {
    NORMAL, STREAK_RETURN, DROPOUT_FULL, DROPOUT_SILENT, PENDING_TRANSFER, REJECTED_TRANSFER,
    APPROVED_TRANSFER, VANISH, MOVE_NO_RECORD, GHOST, CHRONIC, DROPOUT_RETURN
  }

  private static final String[] SURNAMES = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗",
    "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "萧", "田", "董", "潘", "袁", "蔡", "蒋", "余",
    "欧阳", "司马", "诸葛", "上官"
  };
  private static final String GIVEN =
      "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉俊峰雪梅琳欣怡晨宇浩然子轩梓涵一诺佳豪思雨嘉欣";
  private static final String[] PLACE = {
    "新庄", "杜集", "黄口", "官桥", "永堌", "白土", "祖楼", "闫集", "刘套", "马井", "丁里", "孙圩", "张庄", "赵庄", "圣泉",
    "龙城", "石林", "酒店", "大屯", "庄里", "圣泉", "青龙", "临涣", "五沟", "双堆", "铁佛", "南坪", "百善", "孙疃", "韩村"
  };
  private static final String[] REASONS = {"学习困难", "厌学", "家庭经济困难", "外出务工", "疾病", "家庭变故", "早婚", "其他"};

  private final long seed;
  private final int schools;
  private final int meanSize;
  private final LocalDate start;
  private final LocalDate end;
  private final List<LocalDate> schoolDays = new ArrayList<>();
  private final TreeMap<LocalDate, String> calendar = new TreeMap<>();
  private boolean clean;

  public CountyGenerator(long seed, int schools, int meanSize, LocalDate start, LocalDate end) {
    if (schools < 1 || end.isBefore(start)) {
      throw new IllegalArgumentException("需要至少一所学校，且 --end 不早于 --start");
    }
    this.seed = seed;
    this.schools = schools;
    this.meanSize = meanSize;
    this.start = start;
    this.end = end;
    buildCalendar();
  }

  private void buildCalendar() {
    for (int y = start.getYear() - 1; y <= end.getYear() + 1; y++) {
      for (int d = 1; d <= 8; d++) {
        calendar.put(LocalDate.of(y, 10, d), "否,国庆节、中秋节");
      }
      LocalDate makeUp = LocalDate.of(y, 9, 30);
      while (makeUp.getDayOfWeek() != DayOfWeek.SUNDAY) {
        makeUp = makeUp.minusDays(1);
      }
      calendar.put(makeUp, "是,调休上课");
      LocalDate sat = LocalDate.of(y, 10, 9);
      while (sat.getDayOfWeek() != DayOfWeek.SATURDAY) {
        sat = sat.plusDays(1);
      }
      calendar.put(sat, "是,调休上课");
      calendar.put(LocalDate.of(y, 1, 1), "否,元旦");
      for (LocalDate d = LocalDate.of(y, 1, 20); d.isBefore(LocalDate.of(y, 2, 17)); d = d.plusDays(1)) {
        calendar.put(d, "否,寒假");
      }
      for (int d = 1; d <= 5; d++) {
        calendar.put(LocalDate.of(y, 5, d), "否,劳动节");
      }
      for (LocalDate d = LocalDate.of(y, 7, 10); !d.isAfter(LocalDate.of(y, 8, 31)); d = d.plusDays(1)) {
        calendar.put(d, "否,暑假");
      }
    }
    for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
      String c = calendar.get(d);
      boolean school = c != null ? c.startsWith("是") : d.getDayOfWeek().getValue() <= 5;
      if (school) {
        schoolDays.add(d);
      }
    }
  }

  /**
   * Clean data for benchmarks: UTF-8, ISO dates, the contract's column order, no bad rows. The
   * stories, late files and corrections stay; only the awkward formats go, so that a plain
   * DuckDB script can read the same deliveries.
   */
  public CountyGenerator clean(boolean on) {
    this.clean = on;
    return this;
  }

  /** The delivery dates (school days) this generator writes, in order. */
  public List<LocalDate> schoolDays() {
    return List.copyOf(schoolDays);
  }

  /** Writes the landing folder; progress goes to {@code log}. */
  public Stats write(Path out, PrintStream log) throws IOException {
    long t0 = System.nanoTime();
    if (schoolDays.isEmpty()) {
      throw new IllegalArgumentException("所选日期内没有上课日");
    }
    Files.createDirectories(out);
    for (LocalDate d : schoolDays) {
      Files.createDirectories(out.resolve(d.toString()));
    }
    LocalDate first = schoolDays.get(0);
    List<School> all = schools();
    writeReference(out.resolve(first.toString()), all);
    long students = 0;
    long files = 2;
    long rows = 0;
    for (School s : all) {
      SchoolWriter w = new SchoolWriter(s, all, out);
      w.write();
      students += w.students.size();
      files += w.files;
      rows += w.attendanceRows;
      if (log != null && all.size() >= 20 && (s.index + 1) % Math.max(1, all.size() / 10) == 0) {
        log.printf("  已生成 %d/%d 所学校%n", s.index + 1, all.size());
      }
    }
    return new Stats(all.size(), students, schoolDays.size(), files, rows, (System.nanoTime() - t0) / 1e9);
  }

  /** A generated school. */
  record School(int index, String code, String name, String township, String stage, int township_index,
      int indexInTownship, int size, String officer) {
    int minGrade() {
      return stage.equals("初中") ? 7 : 1;
    }

    int maxGrade() {
      return stage.equals("小学") ? 6 : 9;
    }
  }

  List<School> schools() {
    List<School> out = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(seed);
    int perTownship = 8;
    for (int i = 0; i < schools; i++) {
      int t = i / perTownship;
      int k = i % perTownship;
      String town = PLACE[t % PLACE.length] + (t >= PLACE.length ? String.valueOf(t / PLACE.length + 1) : "") + "镇";
      String stage;
      String name;
      double f;
      if (k == 0) {
        stage = "初中";
        name = town.replace("镇", "") + "中学";
        f = 1.5;
      } else if (k == 1) {
        stage = "小学";
        name = town + "中心小学";
        f = 1.3;
      } else if (k == 5) {
        stage = "九年一贯制";
        name = town.replace("镇", "") + "九年一贯制学校";
        f = 1.2;
      } else {
        stage = "小学";
        name = PLACE[(t * 7 + k * 3) % PLACE.length] + (char) ('甲' + k) + "村小学";
        f = 0.4;
      }
      int size = Math.max(20, (int) (meanSize * f * (0.7 + 0.6 * r.nextDouble()) / 1.0));
      String code = String.format("3413%02d%04d", 20 + t / 100, (t % 100) * 100 + k);
      String officer = SURNAMES[r.nextInt(20)] + GIVEN.charAt(r.nextInt(GIVEN.length())) + GIVEN.charAt(r.nextInt(GIVEN.length()));
      out.add(new School(i, code, name, town, stage, t, k, size, officer));
    }
    return out;
  }

  private void writeReference(Path dir, List<School> all) throws IOException {
    try (Writer w = Files.newBufferedWriter(dir.resolve("schools.csv"), StandardCharsets.UTF_8)) {
      w.write("学校标识码,学校名称,乡镇,学段,包保责任人\n");
      for (School s : all) {
        w.write(String.join(",", s.code, s.name, s.township, s.stage, s.officer) + "\n");
      }
    }
    try (Writer w = Files.newBufferedWriter(dir.resolve("calendar.csv"), StandardCharsets.UTF_8)) {
      w.write("日期,是否上课日,说明\n");
      LocalDate to = end.plusMonths(1);
      for (var e : calendar.subMap(start, true, to, true).entrySet()) {
        w.write(e.getKey() + "," + e.getValue() + "\n");
      }
    }
  }

  /** One generated student and the story they carry. */
  static final class Student {
    String no;
    String id;
    String name;
    String gender;
    LocalDate birth;
    int grade;
    String clazz;
    boolean[] flags = new boolean[7];
    String guardian;
    String phone;
    Story story = Story.NORMAL;
    int eventDay = -1; // index into school days where the story starts
    int eventLength;
    School movesTo;
    double absenceRate;
  }

  /** Writes one school's rosters, attendance, changes and case work. */
  private final class SchoolWriter {
    final School s;
    final List<School> all;
    final Path out;
    final SplittableRandom r;
    final List<Student> students = new ArrayList<>();
    long files;
    long attendanceRows;
    Charset charset;
    boolean bom;
    boolean crlf;
    boolean shuffled;
    boolean extraColumn;
    final boolean excelDates;

    SchoolWriter(School s, List<School> all, Path out) {
      this.s = s;
      this.all = all;
      this.out = out;
      this.r = new SplittableRandom(seed * 1_000_003L + s.index);
      int fmt = r.nextInt(100);
      charset = fmt < 15 ? Charset.forName("GB18030") : StandardCharsets.UTF_8;
      crlf = fmt < 25;
      bom = fmt >= 15 && fmt < 25;
      shuffled = r.nextInt(100) < 10;
      extraColumn = r.nextInt(100) < 10;
      excelDates = r.nextInt(100) < 10 && !clean;
      if (clean) {
        charset = StandardCharsets.UTF_8;
        crlf = false;
        bom = false;
        shuffled = false;
        extraColumn = false;
      }
      makeStudents();
    }

    private void makeStudents() {
      Map<String, Integer> perBirthday = new HashMap<>();
      int grades = s.maxGrade() - s.minGrade() + 1;
      for (int i = 0; i < s.size; i++) {
        Student st = new Student();
        st.grade = s.minGrade() + i % grades;
        st.clazz = String.valueOf(1 + (i / grades) / 45);
        int startYear = start.getMonthValue() >= 9 ? start.getYear() : start.getYear() - 1;
        int by = startYear - st.grade - 6 + (r.nextInt(10) == 0 ? 1 : 0);
        st.birth = LocalDate.of(by, 1 + r.nextInt(12), 1 + r.nextInt(28));
        boolean male = r.nextBoolean();
        st.gender = male ? "男" : "女";
        String region = String.format("%06d", 340000 + s.township_index);
        String bd = st.birth.toString().replace("-", "");
        int c = perBirthday.merge(bd, 1, Integer::sum);
        int seq = s.indexInTownship * 100 + (c * 2 + (male ? 1 : 0)) % 100;
        String first17 = region + bd + String.format("%03d", seq);
        st.id = first17 + IdNumbers.checkDigit(first17);
        if (r.nextInt(100) == 0) {
          StringBuilder b = new StringBuilder("L");
          String alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
          for (int k = 0; k < 18; k++) {
            b.append(alnum.charAt(r.nextInt(alnum.length())));
          }
          st.no = b.toString();
          st.id = null;
        } else {
          st.no = "G" + st.id;
        }
        String sur = SURNAMES[r.nextInt(100) < 97 ? r.nextInt(40) : 40 + r.nextInt(4)];
        st.name = sur + GIVEN.charAt(r.nextInt(GIVEN.length())) + (r.nextInt(3) > 0 ? String.valueOf(GIVEN.charAt(r.nextInt(GIVEN.length()))) : "");
        st.guardian = sur + GIVEN.charAt(r.nextInt(GIVEN.length())) + GIVEN.charAt(r.nextInt(GIVEN.length()));
        st.phone = "1" + (3 + r.nextInt(7)) + String.format("%09d", r.nextInt(1_000_000_000));
        double[] rates = {0.03, 0.06, 0.04, 0.015, 0.02, 0.18, 0.06};
        for (int k = 0; k < 7; k++) {
          st.flags[k] = r.nextDouble() < rates[k];
        }
        st.absenceRate = 0.02;
        assignStory(st);
        students.add(st);
      }
    }

    private void assignStory(Student st) {
      int n = schoolDays.size();
      double x = r.nextDouble() * 100;
      Story[] order = Story.values();
      double[] pct = {0, 1.0, 0.3, 0.25, 0.3, 0.1, 0.3, 0.2, 0.2, 0.3, 2.0, 0.1};
      double acc = 0;
      for (int k = 1; k < order.length; k++) {
        acc += pct[k];
        if (x < acc) {
          st.story = order[k];
          break;
        }
      }
      if (n < 6) {
        st.story = st.story == Story.GHOST || st.story == Story.CHRONIC ? st.story : Story.NORMAL;
      }
      // a dropout with the full paperwork needs 12 school days for its 辍学 change: start it early
      // enough that the change falls inside the generated days whenever they are long enough
      int span = st.story == Story.DROPOUT_FULL && n >= 16 ? n - 14 : n - 5;
      st.eventDay = n < 6 ? -1 : 2 + r.nextInt(Math.max(1, span));
      st.eventLength = 3 + r.nextInt(3);
      if (st.story == Story.CHRONIC) {
        st.absenceRate = 0.12 + r.nextDouble() * 0.1;
      }
      if (st.story == Story.MOVE_NO_RECORD) {
        List<School> same = all.stream().filter(o -> o != s && o.minGrade() <= st.grade && o.maxGrade() >= st.grade).toList();
        if (same.isEmpty()) {
          st.story = Story.NORMAL;
        } else {
          st.movesTo = same.get(r.nextInt(same.size()));
        }
      }
    }

    /** Whether the student is still on this school's roll on school day {@code day}. */
    private boolean onRoll(Student st, int day) {
      switch (st.story) {
        case DROPOUT_FULL:
          return day <= st.eventDay + 11;
        case PENDING_TRANSFER:
        case APPROVED_TRANSFER:
        case VANISH:
        case MOVE_NO_RECORD:
          return day < st.eventDay;
        default:
          return true;
      }
    }

    /** Status on day {@code day} for a student still on the roll; null means not reported. */
    private String status(Student st, int day) {
      int e = st.eventDay;
      switch (st.story) {
        case GHOST:
          return null;
        case STREAK_RETURN:
          if (day >= e && day < e + st.eventLength) {
            return "旷课";
          }
          break;
        case DROPOUT_FULL:
        case DROPOUT_SILENT:
          if (day >= e) {
            return "旷课";
          }
          break;
        case DROPOUT_RETURN:
          if (day >= e && day < e + 14) {
            return "旷课";
          }
          break;
        case PENDING_TRANSFER:
        case APPROVED_TRANSFER:
        case VANISH:
        case MOVE_NO_RECORD:
          if (day >= e) {
            return null;
          }
          break;
        default:
          break;
      }
      double x = r.nextDouble();
      if (x < st.absenceRate * 0.6) {
        return "病假";
      } else if (x < st.absenceRate * 0.9) {
        return "事假";
      } else if (x < st.absenceRate) {
        return "旷课";
      } else if (x < st.absenceRate + 0.01) {
        return "迟到";
      }
      return "出勤";
    }

    void write() throws IOException {
      int n = schoolDays.size();
      for (int day = 0; day < n; day++) {
        LocalDate d = schoolDays.get(day);
        if (day == 0 || day % 10 == 0) {
          writeRoster(day);
        }
        writeAttendance(day, d);
      }
      for (Student st : students) {
        writeEvents(st);
      }
    }

    private void writeRoster(int day) throws IOException {
      List<String[]> rows = new ArrayList<>();
      for (Student st : students) {
        if (!onRoll(st, day)) {
          continue;
        }
        String status = "在读";
        if (st.story == Story.DROPOUT_FULL && day > st.eventDay + 11) {
          status = "辍学";
        }
        rows.add(rosterRow(st, status));
      }
      String[] header = {"全国学籍号", "姓名", "性别", "出生日期", "身份证件号", "学校标识码", "年级", "班级", "学籍状态", "户口在外",
          "建档立卡", "低保", "残疾", "残疾人子女", "留守儿童", "随迁子女", "监护人姓名", "监护人电话"};
      writeCsv(folder(day).resolve("students_" + s.code + ".csv"), header, rows);
      for (Student st : students) {
        if (st.story == Story.MOVE_NO_RECORD && day >= st.eventDay) {
          // on the new school's roll from now on, with no change record: a separate file of the
          // same delivery, so it joins that school's roster snapshot
          String[] row = rosterRow(st, "在读");
          row[5] = st.movesTo.code;
          append(folder(day).resolve("students_" + st.movesTo.code + "_from_" + s.code + ".csv"), header, row);
        }
      }
    }

    private String[] rosterRow(Student st, String status) {
      String[] f = new String[7];
      for (int k = 0; k < 7; k++) {
        f[k] = st.flags[k] ? "是" : "否";
      }
      return new String[] {st.no, st.name, st.gender, date(st.birth), st.id == null ? "" : st.id, s.code,
          String.valueOf(st.grade), st.clazz + (r.nextInt(5) == 0 ? "班" : ""), status, f[0], f[1], f[2], f[3], f[4], f[5], f[6],
          st.guardian, st.phone};
    }

    private void writeAttendance(int day, LocalDate d) throws IOException {
      if (r.nextInt(200) == 0) {
        return; // a day the school did not report at all
      }
      List<String[]> rows = new ArrayList<>();
      for (Student st : students) {
        if (!onRoll(st, day)) {
          if (st.story == Story.MOVE_NO_RECORD && day >= st.eventDay) {
            append(folder(day).resolve("attendance_" + st.movesTo.code + "_from_" + s.code + ".csv"),
                new String[] {"全国学籍号", "学校标识码", "日期", "状态", "备注"},
                new String[] {st.no, st.movesTo.code, d.toString(), "出勤", ""});
            attendanceRows++;
          }
          continue;
        }
        String status = status(st, day);
        if (status != null) {
          rows.add(new String[] {st.no, s.code, excelDates ? excel(d) : d.toString(), status, ""});
        }
      }
      int target = day;
      if (r.nextInt(100) == 0 && day + 2 < schoolDays.size()) {
        target = day + 2; // a late file: day d's attendance arrives two deliveries later
      }
      if (r.nextInt(40) == 0 && !rows.isEmpty() && !clean) {
        String[] bad = rows.get(r.nextInt(rows.size())).clone();
        bad[3] = "缺席";
        bad[4] = "未知状态";
        rows.add(bad);
      }
      attendanceRows += rows.size();
      String name = "attendance_" + s.code + (target != day ? "_" + d.toString().replace("-", "") : "") + ".csv";
      writeCsv(folder(target).resolve(name), new String[] {"全国学籍号", "学校标识码", "日期", "状态", "备注"}, rows);
      if (target == day && day + 1 < schoolDays.size() && r.nextInt(30) == 0) {
        for (String[] row : rows) {
          if (row[3].equals("旷课")) {
            List<String[]> fix = new ArrayList<>();
            fix.add(new String[] {row[0], s.code, clean ? d.toString() : excel(d), "病假", "补交病假条,更正"});
            writeCsv(folder(day + 1).resolve("attendance_" + s.code + "_fix.csv"),
                new String[] {"全国学籍号", "学校标识码", "日期", "状态", "备注"}, fix);
            break;
          }
        }
      }
    }

    private void writeEvents(Student st) throws IOException {
      int e = st.eventDay;
      int n = schoolDays.size();
      if (e < 0) {
        return;
      }
      String reason = REASONS[r.nextInt(REASONS.length)];
      switch (st.story) {
        case STREAK_RETURN:
          for (int k = 1; k <= 3 && e + k - 1 < n; k++) {
            visit(st, Math.min(e + k, n - 1), "家访", k == 3 ? "已返校" : "承诺返校", reason, "班主任第" + k + "次家访，与家长沟通。");
          }
          break;
        case DROPOUT_FULL:
          for (int k = 1; k <= 3; k++) {
            visit(st, e + k * 2, "家访", "未返校", reason, "第" + k + "次家访，学生未返校。");
          }
          visit(st, e + 8, "校领导家访", "拒绝", reason, "校长最后一次家访。");
          visit(st, e + 10, "流失报告", "未返校", reason, "确认流失，上报教育局。");
          visit(st, e + 10, "返校通知书", "未返校", reason, "发放《辍学学生返校通知书》。");
          change(st, e + 11, "辍学", s.code, "", reason, r.nextBoolean() ? "待审批" : "已审批");
          break;
        case DROPOUT_SILENT:
          for (int k = 1; k <= r.nextInt(3); k++) {
            visit(st, e + k * 3, "家访", "未返校", reason, "家访未见本人。");
          }
          break;
        case DROPOUT_RETURN:
          change(st, e + 5, "辍学", s.code, "", reason, "已审批");
          visit(st, e + 12, "劝返", "已返校", reason, "经多次劝返，学生返校复学。");
          change(st, e + 14, "复学", "", s.code, "劝返复学", "已审批");
          break;
        case PENDING_TRANSFER:
          change(st, e, "转出", s.code, "", "随父母外出", "待审批");
          break;
        case REJECTED_TRANSFER:
          change(st, e, "转出", s.code, "", "材料不全", "已驳回");
          break;
        case APPROVED_TRANSFER:
          change(st, e, "转出", s.code, "3201020001", "随父母迁居", "已审批");
          break;
        default:
          break;
      }
    }

    private void visit(Student st, int day, String type, String result, String reason, String text) throws IOException {
      if (day >= schoolDays.size()) {
        return;
      }
      String id = "JL" + s.code + "-" + st.no + "-" + day + "-" + type.length();
      append(folder(day).resolve("interventions.csv"),
          new String[] {"记录编号", "全国学籍号", "日期", "类型", "责任人", "结果", "辍学原因", "情况说明"},
          new String[] {id, st.no, schoolDays.get(day).toString(), type, type.equals("校领导家访") ? "校长" : "班主任", result, reason, text});
    }

    private void change(Student st, int day, String type, String from, String to, String reason, String approval)
        throws IOException {
      if (day >= schoolDays.size()) {
        return;
      }
      String id = "YD" + s.code + "-" + st.no + "-" + day;
      append(folder(day).resolve("changes.csv"),
          new String[] {"异动编号", "全国学籍号", "异动类型", "异动日期", "原学校标识码", "新学校标识码", "异动原因", "审批状态"},
          new String[] {id, st.no, type, schoolDays.get(day).toString(), from, to, reason, approval});
    }

    private Path folder(int day) {
      return out.resolve(schoolDays.get(Math.min(day, schoolDays.size() - 1)).toString());
    }

    private void writeCsv(Path p, String[] header, List<String[]> rows) throws IOException {
      int[] order = new int[header.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = shuffled ? order.length - 1 - i : i;
      }
      String nl = crlf ? "\r\n" : "\n";
      try (OutputStream os = Files.newOutputStream(p)) {
        if (bom) {
          os.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        }
        Writer w = new BufferedWriter(new OutputStreamWriter(os, charset), 1 << 16);
        w.write(line(header, order) + (extraColumn ? ",班主任" : "") + nl);
        for (String[] row : rows) {
          w.write(line(row, order) + (extraColumn ? ",某老师" : "") + nl);
        }
        w.flush();
      }
      files++;
    }

    private void append(Path p, String[] header, String[] row) throws IOException {
      boolean fresh = !Files.exists(p);
      try (Writer w = Files.newBufferedWriter(p, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        if (fresh) {
          w.write(String.join(",", header) + "\n");
          files++;
        }
        int[] id = new int[row.length];
        for (int i = 0; i < id.length; i++) {
          id[i] = i;
        }
        w.write(line(row, id) + "\n");
      }
    }
  }

  private static String line(String[] cells, int[] order) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < order.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      String c = cells[order[i]];
      if (c.contains(",") || c.contains("\"") || c.contains("\n")) {
        b.append('"').append(c.replace("\"", "\"\"")).append('"');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static String date(LocalDate d) {
    return d.toString();
  }

  private static String excel(LocalDate d) {
    return d.getYear() + "/" + d.getMonthValue() + "/" + d.getDayOfMonth();
  }
}
