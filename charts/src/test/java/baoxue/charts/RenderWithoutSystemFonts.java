package baoxue.charts;

import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.nio.file.Path;
import java.util.Map;
import org.jfree.chart.JFreeChart;

/**
 * Run by {@link CleanFontConfigTest} in a JVM whose fontconfig knows no font at all: proves that
 * no font of the machine can draw Chinese there, then renders every chart and checks each text is
 * drawn in the shipped font with every glyph present. Exits non-zero on any failure.
 */
public final class RenderWithoutSystemFonts {
  public static void main(String[] args) throws Exception {
    int cjk = 0;
    String[] families = GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames();
    for (String fam : families) {
      if (new Font(fam, Font.PLAIN, 12).canDisplayUpTo("控辍保学") == -1) {
        System.out.println("system font that draws Chinese: " + fam);
        cjk++;
      }
    }
    System.out.println("font families: " + families.length + ", of which draw Chinese: " + cjk);
    if (cjk > 0) {
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int texts = 0;
    for (Map.Entry<String, JFreeChart> e : ChartsTest.all().entrySet()) {
      for (Object[] t : ChartsTest.texts(e.getValue())) {
        Font f = (Font) t[0];
        if (!Fonts.FAMILY.equals(f.getFamily(java.util.Locale.ROOT)) || f.canDisplayUpTo((String) t[1]) != -1) {
          System.out.println(e.getKey() + ": “" + t[1] + "” would not render in " + f);
          System.exit(3);
        }
        texts++;
      }
      ChartFiles.png(e.getValue(), dir.resolve(e.getKey() + ".png"), 640, 360);
    }
    System.out.println("rendered " + ChartsTest.all().size() + " charts, " + texts + " texts, all in " + Fonts.FAMILY);
  }
}
