package baoxue.ingest;

import java.util.regex.Pattern;

/** National student numbers and GB 11643 ID numbers. */
public final class IdNumbers {
  private static final Pattern ID = Pattern.compile("\\d{17}[\\dX]");
  private static final Pattern L_NUMBER = Pattern.compile("L[0-9A-Z]{18}");
  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

  private IdNumbers() {}

  /** The GB 11643 check character for the first 17 digits. */
  public static char checkDigit(CharSequence first17) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (first17.charAt(i) - '0') * WEIGHTS[i];
    }
    return CHECK[sum % 11];
  }

  /** True for an 18-character ID number with a valid check digit (upper-case X). */
  public static boolean validIdNumber(String s) {
    return s != null && ID.matcher(s).matches() && checkDigit(s) == s.charAt(17);
  }

  /** True for {@code G} + a valid ID number, or {@code L} + 18 upper-case letters or digits. */
  public static boolean validStudentNo(String s) {
    if (s == null || s.length() != 19) {
      return false;
    }
    if (s.charAt(0) == 'G') {
      return validIdNumber(s.substring(1));
    }
    return L_NUMBER.matcher(s).matches();
  }
}
