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
    r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new java.text.DecimalFormat("0.00")));
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
    p.getRangeAxis().setRange(0, 105);
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
}
