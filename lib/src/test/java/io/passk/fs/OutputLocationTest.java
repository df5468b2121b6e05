package io.passk.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.passk.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputLocationTest {

    @TempDir
    Path tmp;

    private List<Path> listing() throws Exception {
        try (Stream<Path> s = Files.walk(tmp)) {
            return s.sorted().toList();
        }
    }

    @Test
    void aNewLocationUnderWritableDirectoriesPassesAndNothingIsLeftBehind() throws Exception {
        List<Path> before = listing();
        OutputLocation.check(tmp.resolve("a/b/out").toString(), false);
        OutputLocation.check("file:" + tmp.resolve("c"), false);
        OutputLocation.check("hdfs://namenode:8020/runs/x", false); // another file system: AtomicOutput's to check
        OutputLocation.checkCreatable(tmp.resolve("run").toString());
        assertEquals(before, listing(), "the probe directory is removed");
    }

    @Test
    void aLocationUnderAFileIsRefusedNamingTheFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("f.txt"), "x");
        BadInputException e = assertThrows(BadInputException.class,
                () -> OutputLocation.check(file.resolve("sub/out").toString(), false));
        assertEquals("output " + file.resolve("sub/out") + " cannot be created: " + file + " is a file, not a directory",
                e.getMessage());
    }

    @Test
    void anExistingLocationNeedsOverwrite() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        BadInputException e = assertThrows(BadInputException.class, () -> OutputLocation.check(out.toString(), false));
        assertTrue(e.getMessage().contains("already exists; pass --overwrite"), e.getMessage());
        OutputLocation.check(out.toString(), true);
        OutputLocation.checkCreatable(out.toString());
    }

    @Test
    void aLocationNobodyMayWriteIsRefusedWithTheSystemsReason() {
        // sysfs refuses new entries to root too (permission bits would not)
        assumeTrue(Files.isDirectory(Path.of("/sys/kernel")), "a Linux /sys");
        BadInputException e = assertThrows(BadInputException.class,
                () -> OutputLocation.check("/sys/kernel/passk-out", false));
        assertTrue(e.getMessage().startsWith("output /sys/kernel/passk-out cannot be written: /sys/kernel: "),
                e.getMessage());
        assertTrue(e.getMessage().matches(".*(Operation not permitted|Permission denied|Read-only file system)"),
                e.getMessage());
    }
}
