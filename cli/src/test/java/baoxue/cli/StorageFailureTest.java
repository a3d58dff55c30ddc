package baoxue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The warehouse's disk fills up, or the warehouse is mounted read-only, in the middle of the
 * night (issue 8, item 6). The warehouse lives on a real small file system (a tmpfs mounted for
 * the test, so this needs root, as the CI machine has): the run stops with one clear line that
 * names the delivery, the step and the cause, its log carries no child's data, and the published
 * state — files and what an analyst sees — is exactly as before. Once there is room again the
 * next run completes the night and equals an uninterrupted one.
 */
class StorageFailureTest {
  @Test
  void aFullDiskAndAReadOnlyWarehouseFailClearlyAndLeaveThePublishedStateIntact() throws Exception {
    Night n = Night.get();
    Path clean = n.clean();
    long night = allocated(clean) - allocated(n.base); // what one more night writes
    Path mnt = n.root.resolve("small-disk");
    Files.createDirectories(mnt);
    long size = allocated(n.base) + night * 4;
    Assumptions.assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mnt.toString()) == 0,
        "mounting a small tmpfs needs root; not available here");
    try {
      Path wh = mnt.resolve("wh");
      FileUtils.copyDirectory(n.base.toFile(), wh.toFile());
      String before = CrashSafetyTest.look(wh);
      Map<String, Long> published = published(wh);
      // leave 64 KiB: room for the lock and the run's state, not for the delivery's Parquet
      Path filler = mnt.resolve("filler");
      long fill = Files.getFileStore(mnt).getUsableSpace() - 64 * 1024;
      try (OutputStream out = Files.newOutputStream(filler)) {
        byte[] block = new byte[1 << 16];
        for (long w = 0; w < fill; w += block.length) {
          out.write(block, 0, (int) Math.min(block.length, fill - w));
        }
      }

      Path full = n.root.resolve("logs/disk-full.log");
      assertEquals(2, Night.run(full, List.of(), n.runArgs(wh)), Night.tail(full));
      String said = lastLine(full);
      assertTrue(said.matches("错误：交付 " + Night.LAST + " 的步骤 (stage|core|marts) 失败：仓库所在的磁盘已满（No space left on device），写入 "
          + wh + "/\\S+ 时。已发布的数据没有改变；排除原因后重新运行，会从这一步继续。"), said);
      assertTrue(said.contains("已发布的数据没有改变"), said);
      assertEquals(before, CrashSafetyTest.look(wh), "an analyst sees the previous night");
      assertEquals(published, published(wh), "no published file changed");
      assertNoPersonalData(wh, full);

      Files.delete(filler);
      assertEquals(0, sh("mount", "-o", "remount,ro", mnt.toString()));
      Path ro = n.root.resolve("logs/read-only.log");
      assertEquals(2, Night.run(ro, List.of(), n.runArgs(wh)), Night.tail(ro));
      said = lastLine(ro);
      assertTrue(said.startsWith("错误：仓库是只读的，无法写入（Read-only file system）"), said);
      assertEquals(before, CrashSafetyTest.look(wh));
      assertEquals(published, published(wh));

      assertEquals(0, sh("mount", "-o", "remount,rw", mnt.toString()));
      n.runOk(n.root.resolve("logs/after-storage.log"), n.runArgs(wh).toArray(String[]::new));
      Night.assertSameTables(clean, wh);
      assertEquals(CrashSafetyTest.look(clean), CrashSafetyTest.look(wh));
    } finally {
      sh("umount", mnt.toString());
    }
  }

  static void assertNoPersonalData(Path wh, Path log) throws Exception {
    Map<String, List<String>> hits = new LinkedHashMap<>();
    PrivacyScanTest.check(log.getFileName().toString(), Files.readString(log), PrivacyScanTest.Personal.of(wh), hits);
    assertEquals(Map.of(), hits);
  }

  /** Every published file (not transactions in progress, the lock or the state JSON) and its size. */
  static Map<String, Long> published(Path wh) throws IOException {
    Map<String, Long> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(wh)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = wh.relativize(p).toString();
        if (!rel.startsWith("_txn/") && !rel.startsWith("_state/")) {
          m.put(rel, Files.size(p));
        }
      }
    }
    return m;
  }

  /** Bytes a tree takes on a file system of 4 KiB pages. */
  static long allocated(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      long b = 0;
      for (Path p : s.toList()) {
        b += Files.isRegularFile(p) ? (Files.size(p) + 4095) / 4096 * 4096 : 4096;
      }
      return b;
    }
  }

  static String lastLine(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("错误：")) {
        return lines.get(i);
      }
    }
    return "";
  }

  static int sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    return p.waitFor();
  }
}
