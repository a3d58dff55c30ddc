package baoxue.analyst;

/**
 * Text written into a spreadsheet or CSV must never be read as a formula: a cell starting with
 * {@code = + - @}, a tab or a carriage return gets a leading apostrophe (OWASP "CSV injection").
 * Numbers are written as numbers and are never passed here.
 */
public final class CellSafety {
  private CellSafety() {}

  public static String neutralise(String s) {
    if (s == null || s.isEmpty()) {
      return s;
    }
    char c = s.charAt(0);
    if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
      return "'" + s;
    }
    return s;
  }
}
