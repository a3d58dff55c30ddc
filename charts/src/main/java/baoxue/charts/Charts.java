package baoxue.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The charts of the publications, each from plain figures (the report builders read them from the
 * analysts' DuckDB views). Every chart is in the house style and uses only the shipped font.
 */
public final class Charts {
  private Charts() {}

  /** An attrition rate (0.02 = 2 %) and its target, per category (school, or school and grade). */
  public record RateBar(String category, double rate, double target) {}

  /** Monthly trend of dropouts, returns and suspected dropouts. */
  public record TrendPoint(String month, long dropouts, long returned, long suspected) {}

  /** A group's attrition rate. */
  public record GroupRate(String group, double rate) {}

  /** Alerts of one week: opened, closed by resolution, overdue at the week's end. */
  public record WeekAlerts(String week, long opened, long returned, long excused, long moved, long dropout, long overdue) {}

  /** A value (0–1) per school. */
  public record SchoolValue(String school, double value) {}

  /** Attrition rate per category as bars, with the active profile's target as a line of markers. */
  public static JFreeChart attrition(String title, List<RateBar> bars) {
    DefaultCategoryDataset rates = new DefaultCategoryDataset();
    DefaultCategoryDataset targets = new DefaultCategoryDataset();
    for (RateBar b : bars) {
      rates.addValue(b.rate() * 100, "流失率（%）", b.category());
      targets.addValue(b.target() * 100, "控制目标（%）", b.category());
    }
    JFreeChart c = ChartFactory.createBarChart(title, null, "百分比（%）", rates, PlotOrientation.VERTICAL, true, false, false);
    HouseStyle.apply(c);
    CategoryPlot p = c.getCategoryPlot();
    BarRenderer r = (BarRenderer) p.getRenderer();
    r.setSeriesPaint(0, HouseStyle.BLUE);
    r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new java.text.DecimalFormat("0.0")));
    r.setDefaultItemLabelsVisible(true);
    r.setDefaultItemLabelFont(Fonts.regular(9f));
    LineAndShapeRenderer t = new LineAndShapeRenderer(false, true);
    t.setSeriesPaint(0, HouseStyle.RED);
    t.setSeriesShape(0, new java.awt.Rectangle(-10, -1, 20, 3));
    p.setDataset(1, targets);
    p.setRenderer(1, t);
    p.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    p.getDomainAxis().setCategoryLabelPositions(bars.size() > 6 ? CategoryLabelPositions.UP_45 : CategoryLabelPositions.STANDARD);
    HouseStyle.apply(c); // again: the target renderer was added after the first pass (it resets colours)
    r.setDefaultItemLabelFont(Fonts.regular(9f));
    r.setSeriesPaint(0, HouseStyle.BLUE);
    t.setSeriesPaint(0, HouseStyle.RED);
    return c;
  }

  /** Monthly trend lines: dropouts, returns (劝返复学), suspected dropouts. */
  public static JFreeChart monthlyTrend(String title, List<TrendPoint> points) {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    for (TrendPoint t : points) {
      d.addValue(t.dropouts(), "辍学", t.month());
      d.addValue(t.returned(), "劝返复学", t.month());
      d.addValue(t.suspected(), "疑似辍学", t.month());
    }
    JFreeChart c = ChartFactory.createLineChart(title, "月份", "人数", d, PlotOrientation.VERTICAL, true, false, false);
    HouseStyle.apply(c);
    CategoryPlot p = c.getCategoryPlot();
    LineAndShapeRenderer r = (LineAndShapeRenderer) p.getRenderer();
    r.setDefaultShapesVisible(true);
    r.setSeriesPaint(0, HouseStyle.RED);
    r.setSeriesPaint(1, HouseStyle.GREEN);
    r.setSeriesPaint(2, HouseStyle.ORANGE);
    ((NumberAxis) p.getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    return c;
  }

  /** A township's figure in a month (for the by-township trend). */
  public record AreaMonth(String area, String month, long dropouts, long suspected) {}

  /** Dropouts plus suspected dropouts per month, one line per township. */
  public static JFreeChart townships(String title, List<AreaMonth> points) {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    for (AreaMonth p : points) {
      d.addValue(p.dropouts() + p.suspected(), p.area(), p.month());
    }
    JFreeChart c = ChartFactory.createLineChart(title, "月份", "辍学与疑似辍学（人）", d, PlotOrientation.VERTICAL, true, false, false);
    HouseStyle.apply(c);
    CategoryPlot p = c.getCategoryPlot();
    ((NumberAxis) p.getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    LineAndShapeRenderer r = (LineAndShapeRenderer) p.getRenderer();
    java.awt.Color[] colors = {HouseStyle.BLUE, HouseStyle.RED, HouseStyle.GREEN, HouseStyle.ORANGE, HouseStyle.PURPLE, HouseStyle.GREY};
    for (int i = 0; i < d.getRowCount(); i++) {
      r.setSeriesPaint(i, colors[i % colors.length]);
      r.setSeriesShapesVisible(i, true);
      r.setSeriesStroke(i, new BasicStroke(2f));
    }
    return c;
  }

  /** Attrition of each group against all students. */
  public static JFreeChart groups(String title, List<GroupRate> groups) {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    for (GroupRate g : groups) {
      d.addValue(g.rate() * 100, "流失率（%）", g.group());
    }
    JFreeChart c = ChartFactory.createBarChart(title, null, "流失率（%）", d, PlotOrientation.VERTICAL, false, false, false);
    HouseStyle.apply(c);
    BarRenderer r = (BarRenderer) c.getCategoryPlot().getRenderer();
    r.setSeriesPaint(0, HouseStyle.BLUE);
    r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new java.text.DecimalFormat("0.0")));
    r.setDefaultItemLabelsVisible(true);
    r.setDefaultItemLabelFont(Fonts.regular(9f));
    return c;
  }

  /** Alerts per week: closed by resolution as stacked bars, opened and overdue as lines. */
  public static JFreeChart alertsByWeek(String title, List<WeekAlerts> weeks) {
    DefaultCategoryDataset closed = new DefaultCategoryDataset();
    DefaultCategoryDataset lines = new DefaultCategoryDataset();
    for (WeekAlerts w : weeks) {
      closed.addValue(w.returned(), "结案：返校", w.week());
      closed.addValue(w.excused(), "结案：请假", w.week());
      closed.addValue(w.moved(), "结案：正常异动", w.week());
      closed.addValue(w.dropout(), "结案：辍学", w.week());
      lines.addValue(w.opened(), "新增预警", w.week());
      lines.addValue(w.overdue(), "周末逾期未结", w.week());
    }
    JFreeChart c = ChartFactory.createStackedBarChart(title, "周", "预警数", closed, PlotOrientation.VERTICAL, true, false, false);
    HouseStyle.apply(c);
    CategoryPlot p = c.getCategoryPlot();
    StackedBarRenderer r = (StackedBarRenderer) p.getRenderer();
    r.setSeriesPaint(0, HouseStyle.GREEN);
    r.setSeriesPaint(1, HouseStyle.GREY);
    r.setSeriesPaint(2, HouseStyle.PURPLE);
    r.setSeriesPaint(3, HouseStyle.RED);
    LineAndShapeRenderer l = new LineAndShapeRenderer(true, true);
    l.setSeriesPaint(0, HouseStyle.BLUE);
    l.setSeriesPaint(1, HouseStyle.ORANGE);
    l.setSeriesStroke(1, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    p.setDataset(1, lines);
    p.setRenderer(1, l);
    p.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    ((NumberAxis) p.getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    HouseStyle.apply(c); // again: the line renderer was added after the first pass (it resets colours)
    r.setSeriesPaint(0, HouseStyle.GREEN);
    r.setSeriesPaint(1, HouseStyle.GREY);
    r.setSeriesPaint(2, HouseStyle.PURPLE);
    r.setSeriesPaint(3, HouseStyle.RED);
    l.setSeriesPaint(0, HouseStyle.BLUE);
    l.setSeriesPaint(1, HouseStyle.ORANGE);
    l.setSeriesStroke(1, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    return c;
  }

  /** Home-visit compliance of the dropout alerts: shares with ≥ 3 visits, a leader's visit, a timely 流失报告. */
  public static JFreeChart compliance(String title, double threeVisits, double leaderVisit, double timelyReport, double allThree) {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    d.addValue(threeVisits * 100, "比例（%）", "家访 ≥ 3 次");
    d.addValue(leaderVisit * 100, "比例（%）", "校领导家访");
    d.addValue(timelyReport * 100, "比例（%）", "15 天内流失报告");
    d.addValue(allThree * 100, "比例（%）", "程序完整");
    JFreeChart c = ChartFactory.createBarChart(title, null, "占辍学结案预警的比例（%）", d, PlotOrientation.VERTICAL, false, false, false);
    HouseStyle.apply(c);
    CategoryPlot p = c.getCategoryPlot();
    p.getRangeAxis().setRange(0, 115);
    BarRenderer r = (BarRenderer) p.getRenderer();
    r.setSeriesPaint(0, HouseStyle.BLUE);
    r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new java.text.DecimalFormat("0")));
    r.setDefaultItemLabelsVisible(true);
    r.setDefaultItemLabelFont(Fonts.regular(10f));
    return c;
  }

  /** A value per school (completeness, on-time share) as ranked horizontal bars, lowest first. */
  public static JFreeChart ranked(String title, String valueLabel, List<SchoolValue> schools) {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    schools.stream()
        .sorted(java.util.Comparator.comparingDouble(SchoolValue::value).thenComparing(SchoolValue::school))
        .forEach(s -> d.addValue(s.value() * 100, valueLabel, s.school()));
    JFreeChart c = ChartFactory.createBarChart(title, null, valueLabel, d, PlotOrientation.HORIZONTAL, false, false, false);
    HouseStyle.apply(c);
    CategoryPlot p = c.getCategoryPlot();
    p.getRangeAxis().setRange(0, 105);
    BarRenderer r = (BarRenderer) p.getRenderer();
    r.setSeriesPaint(0, HouseStyle.BLUE);
    r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new java.text.DecimalFormat("0.0")));
    r.setDefaultItemLabelsVisible(true);
    r.setDefaultItemLabelFont(Fonts.regular(9f));
    p.setBackgroundPaint(Color.WHITE);
    p.setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_RIGHT);
    return c;
  }

  /** A day of a case: its recorded attendance (出勤, 旷课, 病假 …) or null when nothing was recorded. */
  public record CaseDay(java.time.LocalDate date, String status) {}

  /** Something done on a day: 家访, 校领导家访, 电话联系, 返校通知书, 流失报告, 劝返. */
  public record CaseEvent(java.time.LocalDate date, String type) {}

  static final String[] TIMELINE_ROWS = {"考勤", "家访", "校领导家访", "电话联系", "返校通知书", "流失报告", "劝返"};

  /**
   * One case on a time line: a row of attendance days (green present, red truant, grey on leave,
   * hollow not recorded), one row per kind of action, and dashed lines at the alert, its 15-day
   * deadline and the return.
   */
  public static JFreeChart timeline(
      String title, List<CaseDay> days, List<CaseEvent> events, java.time.LocalDate alert, java.time.LocalDate due, java.time.LocalDate returned) {
    org.jfree.data.xy.XYSeriesCollection d = new org.jfree.data.xy.XYSeriesCollection();
    String[] att = {"出勤", "旷课", "请假", "未报"};
    for (String a : att) {
      d.addSeries(new org.jfree.data.xy.XYSeries(a, false, true));
    }
    for (CaseDay day : days) {
      String st = day.status() == null ? "未报" : day.status().equals("出勤") || day.status().equals("迟到") || day.status().equals("早退") ? "出勤"
          : day.status().equals("旷课") ? "旷课" : "请假";
      d.getSeries(st).add(epochDay(day.date()), 0);
    }
    java.util.Map<String, org.jfree.data.xy.XYSeries> ev = new java.util.LinkedHashMap<>();
    for (int i = 1; i < TIMELINE_ROWS.length; i++) {
      ev.put(TIMELINE_ROWS[i], new org.jfree.data.xy.XYSeries(TIMELINE_ROWS[i], false, true));
    }
    for (CaseEvent e : events) {
      int row = java.util.Arrays.asList(TIMELINE_ROWS).indexOf(e.type());
      if (row > 0) {
        ev.get(e.type()).add(epochDay(e.date()), row);
      }
    }
    ev.values().forEach(d::addSeries);
    org.jfree.chart.axis.DateAxis x = new org.jfree.chart.axis.DateAxis(null, java.util.TimeZone.getTimeZone("UTC"), java.util.Locale.CHINA);
    x.setDateFormatOverride(utc(new java.text.SimpleDateFormat("M/d")));
    org.jfree.chart.axis.SymbolAxis y = new org.jfree.chart.axis.SymbolAxis(null, TIMELINE_ROWS);
    y.setInverted(true);
    y.setGridBandsVisible(false);
    y.setAutoTickUnitSelection(false);
    y.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
    org.jfree.chart.renderer.xy.XYLineAndShapeRenderer r = new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer(false, true);
    org.jfree.chart.plot.XYPlot p = new org.jfree.chart.plot.XYPlot(d, x, y, r);
    JFreeChart c = new JFreeChart(title, Fonts.bold(14f), p, true);
    HouseStyle.apply(c);
    y.setTickLabelFont(Fonts.regular(9f)); // seven rows: at the house size SymbolAxis would skip every other label
    java.awt.Color[] colors = {HouseStyle.GREEN, HouseStyle.RED, HouseStyle.GREY, HouseStyle.GRID, HouseStyle.BLUE, HouseStyle.PURPLE, HouseStyle.ORANGE, HouseStyle.ORANGE, HouseStyle.RED, HouseStyle.GREEN};
    java.awt.Shape box = new java.awt.Rectangle(-4, -6, 8, 12);
    java.awt.Shape tri = new java.awt.Polygon(new int[] {0, 6, -6}, new int[] {-6, 5, 5}, 3);
    for (int i = 0; i < d.getSeriesCount(); i++) {
      r.setSeriesPaint(i, colors[i]);
      r.setSeriesShape(i, i < 4 ? box : tri);
    }
    r.setSeriesShapesFilled(3, false);
    r.setSeriesPaint(3, HouseStyle.GREY);
    dashed(p, alert, "预警", HouseStyle.ORANGE);
    dashed(p, due, "期限", HouseStyle.RED);
    dashed(p, returned, "返校", HouseStyle.GREEN);
    return c;
  }

  private static void dashed(org.jfree.chart.plot.XYPlot p, java.time.LocalDate day, String label, java.awt.Color color) {
    if (day == null) {
      return;
    }
    org.jfree.chart.plot.ValueMarker m = new org.jfree.chart.plot.ValueMarker(epochDay(day));
    m.setPaint(color);
    m.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
    m.setLabel(label);
    m.setLabelFont(Fonts.regular(9f));
    m.setLabelPaint(color);
    m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.BOTTOM_RIGHT);
    m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_LEFT);
    p.addDomainMarker(m);
  }

  private static double epochDay(java.time.LocalDate d) {
    return d.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  private static java.text.DateFormat utc(java.text.DateFormat f) {
    f.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
    return f;
  }
}
