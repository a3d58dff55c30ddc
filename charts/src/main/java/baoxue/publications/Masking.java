package baoxue.publications;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a child appears in a publication: the surname kept, the given name masked except its last
 * character (张小明 → 张*明, 李华 → 李*, 欧阳明 → 欧阳*, 欧阳小明 → 欧阳*明); and how free text is
 * cleaned before it is quoted (the child's and guardians' names, ID numbers, student numbers and
 * phone numbers replaced).
 */
public final class Masking {
  /** Two-character surnames (复姓) that are kept whole. */
  static final Set<String> COMPOUND =
      Set.of(
          "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "司空", "夏侯", "轩辕", "令狐", "端木",
          "独孤", "南宫", "西门", "百里", "呼延", "万俟", "闻人", "赫连", "澹台", "申屠", "太史", "钟离", "第五", "公冶", "濮阳", "淳于", "单于",
          "仲孙", "东郭", "拓跋", "完颜", "左丘", "梁丘", "宗政", "亓官", "巫马", "公羊", "谷梁", "乐正", "漆雕", "壤驷", "公西", "子车", "颛孙",
          "羊舌", "微生", "鲜于", "闾丘", "东门", "段干", "司寇", "叱干", "呼衍");

  private static final Pattern ID = Pattern.compile("\\d{17}[\\dXx]|\\d{15}");
  private static final Pattern STUDENT_NO = Pattern.compile("[GLJgl]\\d{17}[\\dXx]");
  private static final Pattern PHONE = Pattern.compile("(?<!\\d)(?:\\+?86[- ]?)?1[3-9]\\d{9}(?!\\d)|(?<!\\d)0\\d{2,3}-?\\d{7,8}(?!\\d)");

  private Masking() {}

  /** The masked form of a Chinese name. */
  public static String name(String full) {
    if (full == null || full.isBlank()) {
      return "*";
    }
    String n = full.strip().replace(" ", "");
    int dot = n.indexOf('·');
    if (dot > 0) { // 买买提·艾力 → 买*·*力
      return n.charAt(0) + "*·*" + n.charAt(n.length() - 1);
    }
    int cps = n.codePointCount(0, n.length());
    if (cps <= 1) {
      return "*";
    }
    String surname = surname(n);
    String given = n.substring(surname.length());
    int g = given.codePointCount(0, given.length());
    if (g <= 1) {
      return surname + "*";
    }
    return surname + "*" + given.substring(given.offsetByCodePoints(0, g - 1));
  }

  /** The surname: a known compound surname (欧阳) when the name has three or more characters, else the first. */
  static String surname(String n) {
    int cps = n.codePointCount(0, n.length());
    String two = cps >= 2 ? n.substring(0, n.offsetByCodePoints(0, 2)) : n;
    return cps >= 3 && COMPOUND.contains(two) ? two : n.substring(0, n.offsetByCodePoints(0, 1));
  }

  /**
   * Free text (a 情况说明) safe to quote: each of {@code names} (the child, the guardians) replaced
   * by its masked form — the given name alone too, as teachers write "小明" —, ID numbers, student
   * numbers and phone numbers replaced by a placeholder.
   */
  public static String text(String s, List<String> names) {
    if (s == null) {
      return "";
    }
    String out = STUDENT_NO.matcher(s).replaceAll("［学籍号］");
    out = ID.matcher(out).replaceAll("［证件号］");
    out = PHONE.matcher(out).replaceAll("［电话］");
    for (String full : names) {
      if (full == null || full.isBlank()) {
        continue;
      }
      String n = full.strip();
      String masked = name(n);
      out = out.replace(n, masked);
      if (n.indexOf('·') < 0 && n.codePointCount(0, n.length()) >= 2) {
        String surname = surname(n);
        String given = n.substring(surname.length());
        if (given.codePointCount(0, given.length()) >= 2) {
          out = out.replace(given, masked.substring(surname.length()));
        }
      }
    }
    return out;
  }

  /** An ID number with only the region (first 6) and the last 4 characters shown: 341322********1016. */
  public static String idNumber(String id) {
    if (id == null || id.isBlank()) {
      return "";
    }
    String n = id.strip();
    if (n.length() <= 10) {
      return "*".repeat(n.length());
    }
    return n.substring(0, 6) + "*".repeat(n.length() - 10) + n.substring(n.length() - 4);
  }
}
