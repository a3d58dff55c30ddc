package baoxue.charts;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.Font;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.title.LegendTitle;
import org.junit.jupiter.api.Test;

/**
 * Every chart renders with the shipped CJK font: every piece of text it draws is in Noto Sans SC
 * and every character of it has a glyph there (a logical or system font would draw boxes on a
 * machine without CJK fonts), and the PNG comes out at print size.
 */
class ChartsTest {
  static Map<String, JFreeChart> all() {
    Map<String, JFreeChart> m = new LinkedHashMap<>();
    m.put(
        "attrition",
        Charts.attrition(
            "新庄中学各年级流失率与控制目标（截至 2025-10-17）",
            List.of(new Charts.RateBar("7 年级", 0.5, 0.015), new Charts.RateBar("8 年级", 0.0, 0.02), new Charts.RateBar("9 年级", 1.0 / 3, 0.03))));
    m.put(
        "trend",
        Charts.monthlyTrend(
            "全县辍学、劝返复学与疑似辍学月度趋势",
            List.of(new Charts.TrendPoint("2025-09", 1, 1, 1), new Charts.TrendPoint("2025-10", 2, 1, 2))));
    m.put(
        "groups",
        Charts.groups(
            "各重点群体流失率（全县）",
            List.of(new Charts.GroupRate("全体学生", 2.0 / 11), new Charts.GroupRate("困难家庭", 1.0), new Charts.GroupRate("随迁子女", 1.0),
                new Charts.GroupRate("留守儿童", 0.0), new Charts.GroupRate("残疾儿童", 0.0), new Charts.GroupRate("残疾人子女", 0.0))));
    m.put(
        "alerts",
        Charts.alertsByWeek(
            "两天规则预警：每周新增、结案与逾期",
            List.of(new Charts.WeekAlerts("09-01 周", 1, 0, 0, 0, 0, 0), new Charts.WeekAlerts("09-08 周", 1, 1, 0, 0, 0, 0),
                new Charts.WeekAlerts("09-22 周", 1, 0, 0, 0, 1, 0), new Charts.WeekAlerts("10-13 周", 0, 0, 0, 0, 0, 1))));
    m.put(
        "townships",
        Charts.townships(
            "各乡镇每月辍学与疑似辍学人数",
            List.of(new Charts.AreaMonth("新庄镇", "2025-09", 1, 1), new Charts.AreaMonth("新庄镇", "2025-10", 2, 2),
                new Charts.AreaMonth("杜集镇", "2025-09", 0, 0), new Charts.AreaMonth("杜集镇", "2025-10", 1, 0))));
    m.put("compliance", Charts.compliance("辍学结案预警的家访合规情况", 1.0, 1.0, 1.0, 1.0));
    m.put(
        "completeness",
        Charts.ranked(
            "各校数据完整率（本月上课日平均）", "完整率（%）",
            List.of(new Charts.SchoolValue("新庄中学", 0.83), new Charts.SchoolValue("新庄镇中心小学", 0.95), new Charts.SchoolValue("杜集小学", 1.0))));
    java.time.LocalDate d0 = java.time.LocalDate.of(2025, 9, 1);
    List<Charts.CaseDay> days = new ArrayList<>();
    String[] st = {"出勤", "出勤", "旷课", "旷课", "旷课", null, "出勤"};
    for (int i = 0; i < st.length; i++) {
      days.add(new Charts.CaseDay(d0.plusDays(i), st[i]));
    }
    m.put(
        "timeline",
        Charts.timeline(
            "张*明 的时间线", days,
            List.of(new Charts.CaseEvent(d0.plusDays(3), "家访"), new Charts.CaseEvent(d0.plusDays(4), "校领导家访"),
                new Charts.CaseEvent(d0.plusDays(5), "流失报告")),
            d0.plusDays(3), d0.plusDays(17), d0.plusDays(6)));
    return m;
  }

  /** Every (font, text) pair a chart draws: title, legend, axis labels, tick and category labels. */
  static List<Object[]> texts(JFreeChart c) {
    List<Object[]> out = new ArrayList<>();
    out.add(new Object[] {c.getTitle().getFont(), c.getTitle().getText()});
    LegendTitle legend = c.getLegend();
    if (legend != null) {
      org.jfree.chart.LegendItemCollection items = c.getPlot().getLegendItems();
      for (int i = 0; i < items.getItemCount(); i++) {
        LegendItem li = items.get(i);
        out.add(new Object[] {legend.getItemFont(), li.getLabel()});
      }
    }
    if (c.getPlot() instanceof org.jfree.chart.plot.XYPlot xy) {
      for (Axis a : new Axis[] {xy.getDomainAxis(), xy.getRangeAxis()}) {
        out.add(new Object[] {a.getTickLabelFont(), "0123456789/"});
        if (a instanceof org.jfree.chart.axis.SymbolAxis sa) {
          for (String sym : sa.getSymbols()) {
            out.add(new Object[] {a.getTickLabelFont(), sym});
          }
        }
      }
      for (Object m : xy.getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND)) {
        org.jfree.chart.plot.Marker mk = (org.jfree.chart.plot.Marker) m;
        out.add(new Object[] {mk.getLabelFont(), mk.getLabel()});
      }
      return out;
    }
    CategoryPlot p = c.getCategoryPlot();
    for (Axis a : new Axis[] {p.getDomainAxis(), p.getRangeAxis()}) {
      if (a.getLabel() != null) {
        out.add(new Object[] {a.getLabelFont(), a.getLabel()});
      }
      out.add(new Object[] {a.getTickLabelFont(), "0123456789.%"});
    }
    for (int d = 0; d < p.getDatasetCount(); d++) {
      if (p.getDataset(d) == null) {
        continue;
      }
      for (Object k : p.getDataset(d).getColumnKeys()) {
        out.add(new Object[] {p.getDomainAxis().getTickLabelFont(), k.toString()});
      }
      if (p.getRenderer(d) != null && p.getRenderer(d).getDefaultItemLabelFont() != null) {
        out.add(new Object[] {p.getRenderer(d).getDefaultItemLabelFont(), "0.5"});
      }
    }
    return out;
  }

  @Test
  void everyTextOfEveryChartIsInTheShippedFontWithNoMissingGlyph() {
    for (Map.Entry<String, JFreeChart> e : all().entrySet()) {
      for (Object[] t : texts(e.getValue())) {
        Font f = (Font) t[0];
        String s = (String) t[1];
        assertEquals(Fonts.FAMILY, f.getFamily(java.util.Locale.ROOT), e.getKey() + ": “" + s + "” is drawn in " + f);
        assertEquals(-1, f.canDisplayUpTo(s), e.getKey() + ": “" + s + "” has a character the font cannot draw");
      }
    }
  }

  @Test
  void theLogicalSansSerifFontIsNotWhatWeDrawWith() {
    // the reason for shipping the font: on a machine without CJK fonts the logical font cannot draw Chinese
    Font noto = Fonts.regular(12f);
    assertEquals(-1, noto.canDisplayUpTo("控辍保学简报：流失率、劝返复学、疑似辍学"));
    assertThrows(IllegalStateException.class, () -> Fonts.check(noto, "\uE000"), "a private-use character has no glyph");
  }

  @Test
  void everyChartRendersAtTwiceItsLayoutSize() throws Exception {
    String keep = System.getProperty("baoxue.chartsOut");
    Path dir = keep != null ? Path.of(keep) : Files.createTempDirectory("charts");
    for (Map.Entry<String, JFreeChart> e : all().entrySet()) {
      Path png = ChartFiles.png(e.getValue(), dir.resolve(e.getKey() + ".png"), 640, 360);
      BufferedImage img = ImageIO.read(png.toFile());
      assertEquals(1280, img.getWidth(), e.getKey());
      assertEquals(720, img.getHeight(), e.getKey());
      assertTrue(Files.size(png) > 10_000, e.getKey() + " is " + Files.size(png) + " bytes");
      assertFalse(Files.exists(dir.resolve(e.getKey() + ".png.tmp")));
    }
  }
}
