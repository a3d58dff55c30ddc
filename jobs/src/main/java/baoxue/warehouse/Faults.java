package baoxue.warehouse;

/**
 * Named crash points for the crash-safety tests: with the system property
 * {@code baoxue.crashAt} set to a point's name, the run dies there as a killed process would
 * (nothing after it runs). Unset in production, where each call is a string comparison.
 */
public final class Faults {
  private Faults() {}

  public static void point(String name) {
    String at = System.getProperty("baoxue.crashAt");
    if (at != null && name.equals(at)) {
      throw new InjectedCrash(name);
    }
  }

  /** The simulated crash. */
  public static final class InjectedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InjectedCrash(String point) {
      super("injected crash at " + point);
    }
  }
}
