package baoxue.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;

/**
 * One look for every chart of every publication: the shipped Noto Sans SC in four sizes, white
 * background, light grid, flat bars and a sober palette (blue for counts, red for what is over
 * target or overdue, grey for reference lines).
 */
public final class HouseStyle {
  public static final Color BLUE = new Color(0x1f, 0x5f, 0x9e);
  public static final Color RED = new Color(0xc0, 0x39, 0x2b);
  public static final Color GREEN = new Color(0x2e, 0x8b, 0x57);
  public static final Color ORANGE = new Color(0xe6, 0x7e, 0x22);
  public static final Color PURPLE = new Color(0x7d, 0x3c, 0x98);
  public static final Color GREY = new Color(0x7f, 0x8c, 0x8d);
  public static final Color GRID = new Color(0xdd, 0xdd, 0xdd);
  static final Paint[] SERIES = {BLUE, RED, GREEN, ORANGE, PURPLE, GREY};

  private HouseStyle() {}

  public static StandardChartTheme theme() {
    StandardChartTheme t = new StandardChartTheme("baoxue");
    t.setExtraLargeFont(Fonts.bold(18f));
    t.setLargeFont(Fonts.bold(13f));
    t.setRegularFont(Fonts.regular(12f));
    t.setSmallFont(Fonts.regular(10f));
    t.setChartBackgroundPaint(Color.WHITE);
    t.setPlotBackgroundPaint(Color.WHITE);
    t.setDomainGridlinePaint(GRID);
    t.setRangeGridlinePaint(GRID);
    t.setBarPainter(new StandardBarPainter());
    t.setShadowVisible(false);
    t.setAxisLabelPaint(Color.DARK_GRAY);
    t.setTickLabelPaint(Color.DARK_GRAY);
    t.setDrawingSupplier(
        new DefaultDrawingSupplier(
            SERIES,
            DefaultDrawingSupplier.DEFAULT_FILL_PAINT_SEQUENCE,
            DefaultDrawingSupplier.DEFAULT_OUTLINE_PAINT_SEQUENCE,
            new java.awt.Stroke[] {new BasicStroke(2f)},
            DefaultDrawingSupplier.DEFAULT_OUTLINE_STROKE_SEQUENCE,
            DefaultDrawingSupplier.DEFAULT_SHAPE_SEQUENCE));
    return t;
  }

  /** Applies the house style to a chart built by a ChartFactory. */
  public static JFreeChart apply(JFreeChart chart) {
    theme().apply(chart);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    if (chart.getPlot() instanceof org.jfree.chart.plot.CategoryPlot cp) {
      cp.getDomainAxis().setMaximumCategoryLabelLines(2); // 残疾人子女, 15 天内流失报告: wrap, never "…"
      cp.getRangeAxis().setUpperMargin(0.15); // room for the value labels above the tallest bar
    }
    if (chart.getPlot() instanceof org.jfree.chart.plot.CategoryPlot p && p.getRenderer() instanceof BarRenderer r) {
      r.setMaximumBarWidth(0.08);
      r.setItemMargin(0.05);
    }
    return chart;
  }
}
