package baoxue.publications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The masking rules of the publications (docs/publications.md). */
class MaskingTest {
  @Test
  void namesKeepTheSurnameAndTheLastCharacter() {
    assertEquals("李*", Masking.name("李华"));
    assertEquals("张*明", Masking.name("张小明"));
    assertEquals("张*军", Masking.name("张建国军"));
    assertEquals("*", Masking.name("王"));
    assertEquals("*", Masking.name(" "));
    assertEquals("张*明", Masking.name(" 张 小明 "));
  }

  @Test
  void compoundSurnamesAreKeptWhole() {
    assertEquals("欧阳*", Masking.name("欧阳明"));
    assertEquals("欧阳*明", Masking.name("欧阳小明"));
    assertEquals("司马*", Masking.name("司马光"));
    assertEquals("诸葛*亮", Masking.name("诸葛孔亮"));
    assertEquals("欧*", Masking.name("欧阳"), "a two-character name is surname + given name");
  }

  @Test
  void namesWithAMiddleDot() {
    assertEquals("买*·*提", Masking.name("买买提·艾买提"));
  }

  @Test
  void freeTextLosesNamesIdNumbersStudentNumbersAndPhones() {
    String raw = "张小明的父亲张大山（电话 13900001016，身份证 34132219800101123X）说小明在外打工，学籍号 G341322201105141016，家里座机 0558-1234567。";
    String clean = Masking.text(raw, List.of("张小明", "张大山"));
    assertEquals("张*明的父亲张*山（电话 ［电话］，身份证 ［证件号］）说*明在外打工，学籍号 ［学籍号］，家里座机 ［电话］。", clean);
    for (String s : List.of("张小明", "张大山", "小明", "13900001016", "34132219800101123X", "G341322201105141016", "1234567")) {
      assertFalse(clean.contains(s), s);
    }
  }

  @Test
  void emptyTextAndMissingNames() {
    assertEquals("", Masking.text(null, List.of()));
    assertEquals("学生当天返校上课。", Masking.text("学生当天返校上课。", java.util.Arrays.asList(null, "")));
  }

  @Test
  void aCharacterTheFontCannotDrawIsMarkedNotDropped() throws Exception {
    // 𠀀 (CJK extension B) and a private-use character have no glyph in Noto Sans SC
    assertEquals("张〓明、〓", PdfOut.shown("张\uD840\uDC00明、\uE000"));
    assertEquals("新庄镇甴村小学", PdfOut.shown("新庄镇甴村小学"));
    Doc d = new Doc("测试", "第 1 期", "页脚");
    d.para("学生张\uD840\uDC00明");
    java.nio.file.Path pdf = PdfOut.write(d, java.nio.file.Files.createTempDirectory("glyph").resolve("t.pdf"));
    try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf.toFile())) {
      assertTrue(new org.apache.pdfbox.text.PDFTextStripper().getText(doc).contains("学生张〓明"));
    }
  }
}
