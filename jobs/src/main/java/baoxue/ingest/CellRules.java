package baoxue.ingest;

import baoxue.privacy.Pseudonym;
import baoxue.schema.ColumnSpec;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contract's cell rules: one method turns a trimmed cell into a typed value or a reason in
 * Chinese. Reasons name the column and, for non-personal columns only, the offending value.
 */
public final class CellRules {
  private static final Pattern ISO = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
  private static final Pattern EXCEL = Pattern.compile("(\\d{4})/(\\d{1,2})/(\\d{1,2})");
  private static final Pattern SCHOOL = Pattern.compile("\\d{10}");
  private static final Pattern INT = Pattern.compile("\\d{1,9}");
  public static final int TEXT_LIMIT = 10_000;
  public static final int CODE_LIMIT = 64;

  /** A cell that cannot be read. */
  public static final class CellError extends Exception {
    private static final long serialVersionUID = 1L;

    public CellError(String reason) {
      super(reason, null, false, false);
    }
  }

  private CellRules() {}

  /** Trim, including full-width spaces; empty means null. */
  public static String clean(String cell) {
    if (cell == null) {
      return null;
    }
    String s = cell.strip();
    int b = 0;
    int e = s.length();
    while (b < e && s.charAt(b) == '\u3000') {
      b++;
    }
    while (e > b && s.charAt(e - 1) == '\u3000') {
      e--;
    }
    s = s.substring(b, e);
    return s.isEmpty() ? null : s;
  }

  /** Parses one non-null cell of a column. Student numbers come back normalised (upper case). */
  public static Object parse(ColumnSpec col, String v, LocalDate delivery, Set<String> knownSchools)
      throws CellError {
    String h = "「" + col.header + "」";
    String shown = col.restricted() ? "" : "「" + v + "」";
    switch (col.type) {
      case "text":
        if (v.length() > TEXT_LIMIT) {
          throw new CellError(h + "过长（超过 " + TEXT_LIMIT + " 字）");
        }
        return v;
      case "code":
        if (v.length() > CODE_LIMIT || v.chars().anyMatch(Character::isISOControl)) {
          throw new CellError(h + shortened(v) + "不是有效的编号");
        }
        return v;
      case "date":
        {
          LocalDate d = date(v);
          if (d == null) {
            throw new CellError(h + shown + "不是有效日期（应为 YYYY-MM-DD 或 YYYY/M/D）");
          }
          if (!col.futureAllowed && d.isAfter(delivery)) {
            throw new CellError(h + shown + "晚于交付日期 " + delivery);
          }
          return d;
        }
      case "bool":
        {
          Boolean b = bool(v);
          if (b == null) {
            throw new CellError(h + shown + "不是有效的是否值（是/否、1/0、Y/N、true/false）");
          }
          return b;
        }
      case "enum":
        if (!col.values.contains(v)) {
          throw new CellError(h + shortened(v) + "不是允许的取值（" + String.join("、", col.values) + "）");
        }
        return v;
      case "count":
        if (!INT.matcher(v).matches()) {
          throw new CellError(h + shortened(v) + "不是非负整数");
        }
        return Integer.parseInt(v);
      case "grade":
        {
          String g = v.endsWith("年级") ? v.substring(0, v.length() - 2) : v;
          if (!g.matches("[1-9]")) {
            throw new CellError(h + shortened(v) + "不是 1–9 的年级");
          }
          return Integer.parseInt(g);
        }
      case "class_label":
        {
          String c = v.endsWith("班") ? v.substring(0, v.length() - 1).strip() : v;
          if (c.isEmpty() || c.length() > 20 || c.chars().anyMatch(Character::isISOControl)) {
            throw new CellError(h + shortened(v) + "不是有效的班级");
          }
          return c;
        }
      case "school_code":
        if (!SCHOOL.matcher(v).matches()) {
          throw new CellError(h + shortened(v) + "不是 10 位学校标识码");
        }
        if (col.knownSchool && !knownSchools.contains(v)) {
          throw new CellError(h + "「" + v + "」不在任何学校名单（schools）交付中");
        }
        return v;
      case "student_no":
        {
          String n = v.toUpperCase(Locale.ROOT);
          if (!IdNumbers.validStudentNo(n)) {
            throw new CellError(h + "格式错误（应为 G+18 位身份证号且校验位正确，或 L+18 位字母数字）");
          }
          return n;
        }
      case "id_number":
        {
          String n = v.toUpperCase(Locale.ROOT);
          if (!IdNumbers.validIdNumber(n)) {
            throw new CellError(h + "不是有效的 18 位身份证件号（GB 11643 校验位）");
          }
          return n;
        }
      case "student_no_list":
        {
          List<String> out = new ArrayList<>();
          for (String part : v.split("[;；]")) {
            String n = clean(part);
            if (n == null) {
              continue;
            }
            n = n.toUpperCase(Locale.ROOT);
            if (!IdNumbers.validStudentNo(n)) {
              throw new CellError(h + "中有格式错误的全国学籍号");
            }
            out.add(n);
          }
          return String.join(";", out);
        }
      default:
        throw new IllegalStateException("unknown column type " + col.type + " for " + col.name);
    }
  }

  /** The keys of a normalised {@code ;}-separated student number list. */
  public static List<String> keysOf(String list, Pseudonym p) {
    List<String> keys = new ArrayList<>();
    if (list != null && !list.isEmpty()) {
      for (String n : list.split(";")) {
        keys.add(p.studentKey(n));
      }
    }
    return keys;
  }

  /** A student number, an 18- or 15-digit ID number or a mobile number inside a record number. */
  private static final Pattern EMBEDDED =
      Pattern.compile("(?<![0-9A-Za-z])[GLJ]\\d{17}[0-9X](?![0-9A-Za-z])|(?<![0-9])(?:\\d{17}[0-9Xx]|\\d{15}|1[3-9]\\d{9})(?![0-9])");

  /**
   * A record number ({@code code}: 异动编号, 记录编号, 检查编号) as it may enter the analyst zone.
   * School systems build them from the student number ({@code YD3413200000-G340…0029-2}); each
   * such run — a student number, an ID number, a mobile number — becomes its HMAC key, so the
   * number stays unique and stable (a correction re-sent under the same number still matches)
   * but no longer carries the child's number.
   */
  public static String pseudonymiseEmbedded(String code, Pseudonym p) {
    Matcher m = EMBEDDED.matcher(code);
    if (!m.find()) {
      return code;
    }
    StringBuilder b = new StringBuilder();
    do {
      m.appendReplacement(b, p.studentKey(m.group()));
    } while (m.find());
    m.appendTail(b);
    return b.toString();
  }

  private static String shortened(String v) {
    return "「" + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "」";
  }

  /** {@code YYYY-MM-DD} or {@code YYYY/M/D}; null if neither or not a real date. */
  public static LocalDate date(String v) {
    Matcher m = ISO.matcher(v);
    if (!m.matches()) {
      m = EXCEL.matcher(v);
      if (!m.matches()) {
        return null;
      }
    }
    try {
      return LocalDate.of(
          Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** 是/否, 1/0, Y/N, true/false; null if none of them. */
  public static Boolean bool(String v) {
    switch (v.toLowerCase(Locale.ROOT)) {
      case "是":
      case "1":
      case "y":
      case "true":
        return Boolean.TRUE;
      case "否":
      case "0":
      case "n":
      case "false":
        return Boolean.FALSE;
      default:
        return null;
    }
  }
}
