package io.passk.spark;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/jvm.options is the one list of the JVM flags Spark needs on Java 17: Maven reads it into
 * the test JVMs' command line, bin/passk and the notebook helper read it at start, and nobody
 * keeps a copy.
 */
class JvmOptionsTest {

    /** The repository root: surefire runs a module's tests in the module's directory. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    static List<String> flags() throws IOException {
        return Files.readAllLines(ROOT.resolve("bin/jvm.options")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    @Test
    void theFileListsTheOpensSparkNeeds() throws IOException {
        List<String> flags = flags();
        assertFalse(flags.isEmpty());
        for (String f : flags) {
            assertTrue(f.startsWith("--add-opens=java.base/") && f.endsWith("=ALL-UNNAMED"), f);
        }
        assertTrue(flags.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), flags.toString());
    }

    @Test
    void mavenPassedEveryFlagOfTheFileToThisTestJvm() throws IOException {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String f : flags()) {
            assertTrue(args.contains(f), f + " missing from the test JVM's arguments " + args);
        }
    }

    @Test
    void theBuildTheLauncherAndTheNotebookHelperReadTheFileAndKeepNoCopy() throws IOException {
        for (String file : List.of("pom.xml", "bin/passk", "notebooks/passk_nb.py")) {
            String text = Files.readString(ROOT.resolve(file));
            assertTrue(text.contains("jvm.options"), file + " does not read bin/jvm.options");
            assertFalse(text.contains("--add-opens=java.base/"), file + " keeps its own copy of the opens");
        }
    }
}
