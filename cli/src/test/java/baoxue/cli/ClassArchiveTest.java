package baoxue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class data archive of a child's class path: named by its jars, written only by a night
 * allowed to, published only when that night ended well, and the launcher names it the same way.
 */
class ClassArchiveTest {
  @TempDir Path tmp;

  @Test
  void aNightWritesTheArchiveOfItsJarsAndTheNextOnesUseIt() throws Exception {
    Path target = Files.createDirectories(tmp.resolve("cli/target"));
    Path cli = Files.writeString(target.resolve("baoxue-cli.jar"), "cli");
    Path lib = Files.writeString(tmp.resolve("spark.jar"), "spark");
    String cp = cli + File.pathSeparator + lib;

    assertEquals(List.of(), ClassArchive.flags(cp, List.of("run"), ClassArchive.Mode.USE), "the bench never writes one");
    assertEquals(List.of(), ClassArchive.flags(cp, List.of("sql"), ClassArchive.Mode.DUMP), "only a night writes it");
    List<String> dump = ClassArchive.flags(cp, List.of("run", "--landing", "x"), ClassArchive.Mode.DUMP);
    String tmpArchive = dump.stream().filter(f -> f.startsWith(ClassArchive.DUMP_FLAG)).findFirst().orElseThrow()
        .substring(ClassArchive.DUMP_FLAG.length());
    Path archive = ClassArchive.archive(cp);
    assertEquals(target.resolve("cds"), archive.getParent());
    assertTrue(tmpArchive.startsWith(archive + "."), tmpArchive);

    // a failed night leaves no archive
    Files.writeString(Path.of(tmpArchive), "half");
    ClassArchive.publish(dump, 1);
    assertFalse(Files.exists(Path.of(tmpArchive)));
    assertFalse(Files.exists(archive));
    // one that ended well makes it the class path's archive, which every later child maps
    Files.writeString(Path.of(tmpArchive), "whole");
    ClassArchive.publish(dump, 0);
    assertEquals("whole", Files.readString(archive));
    assertTrue(ClassArchive.flags(cp, List.of("sql"), ClassArchive.Mode.USE).contains(ClassArchive.USE_FLAG + archive));

    // a rebuilt jar is another class path: the old archive no longer names it
    Thread.sleep(1100);
    Files.writeString(lib, "spark, rebuilt");
    assertNotEquals(archive, ClassArchive.archive(cp));
  }

  @Test
  void aClassPathWithADirectoryOrWithoutOurJarHasNone() throws Exception {
    Path lib = Files.writeString(tmp.resolve("spark.jar"), "spark");
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    Files.writeString(classes.resolve("A.class"), "x");
    assertNull(ClassArchive.archive(lib + File.pathSeparator + classes));
    assertNull(ClassArchive.archive(lib.toString()));
    assertEquals(List.of(), ClassArchive.flags(lib + File.pathSeparator + classes, List.of("run"), ClassArchive.Mode.DUMP));
  }

  @Test
  void theLauncherNamesTheArchiveAsTheChildrenDo() throws Exception {
    Path target = Files.createDirectories(tmp.resolve("cli/target"));
    Path cli = Files.writeString(target.resolve("baoxue-cli.jar"), "cli");
    Path lib = Files.writeString(tmp.resolve("spark.jar"), "spark");
    String launcher = Files.readString(Path.of("..", "baoxue"), StandardCharsets.UTF_8);
    String naming = "$(stat -c '%n|%s|%Y' \"${entries[@]}\" | sha1sum | cut -c1-16).jsa";
    assertTrue(launcher.contains(naming), "the launcher's class_archive names the archive this way");
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", "entries=(\"$@\"); echo \"" + naming + "\"", "bash", cli.toString(), lib.toString()));
    Process p = new ProcessBuilder(cmd).start();
    String name = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.waitFor());
    assertEquals(ClassArchive.archive(cli + File.pathSeparator + lib).getFileName().toString(), name);
  }
}
