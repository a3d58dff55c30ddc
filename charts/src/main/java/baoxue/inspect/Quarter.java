package baoxue.inspect;

import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A calendar quarter, written {@code 2025Q4}: the period of one round of 季查. */
public record Quarter(String id, LocalDate first, LocalDate last) {
  private static final Pattern ID = Pattern.compile("(\\d{4})Q([1-4])");

  public static Quarter parse(String s) {
    Matcher m = ID.matcher(s == null ? "" : s.strip().toUpperCase());
    if (!m.matches()) {
      throw new IllegalArgumentException("季度写作 年份Q季度，如 2025Q4，而不是 “" + s + "”。");
    }
    int y = Integer.parseInt(m.group(1));
    int q = Integer.parseInt(m.group(2));
    LocalDate first = LocalDate.of(y, 3 * q - 2, 1);
    return new Quarter(y + "Q" + q, first, first.plusMonths(3).minusDays(1));
  }

  /** The quarter a date falls in. */
  public static Quarter of(LocalDate d) {
    return parse(d.getYear() + "Q" + ((d.getMonthValue() + 2) / 3));
  }

  public boolean contains(LocalDate d) {
    return !d.isBefore(first) && !d.isAfter(last);
  }

  public String cn() {
    return first.getYear() + " 年第 " + ((first.getMonthValue() + 2) / 3) + " 季度";
  }
}
