package io.passk;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every package of the library and of the jobs has a package-info.java that says what it owns
 * and what it may import, and the pure packages keep their promise of no Spark and no DJL.
 * Reads the sources: surefire runs lib's tests in lib/, so jobs is at ../jobs.
 */
class PackageInfoTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final List<Path> SOURCES = List.of(ROOT.resolve("lib/src/main/java"),
            ROOT.resolve("jobs/src/main/java"));

    /** Pure math and its inputs: unit-testable in milliseconds, the oracle for the Spark code. */
    private static final List<String> NO_SPARK_NO_DJL = List.of("io.passk.estimate", "io.passk.random",
            "io.passk.advantage");
    private static final Pattern FORBIDDEN = Pattern.compile("\\b(org\\.apache\\.spark|ai\\.djl)\\.");

    /** Directories holding at least one Java source file. */
    private static List<Path> packageDirs(Path sources) throws IOException {
        TreeSet<Path> dirs = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> dirs.add(p.getParent()));
        }
        return new ArrayList<>(dirs);
    }

    @Test
    void everyPackageHasAPackageInfoSayingWhatItOwnsAndMayImport() throws IOException {
        List<String> problems = new ArrayList<>();
        int packages = 0;
        for (Path sources : SOURCES) {
            assertTrue(Files.isDirectory(sources), sources.toString());
            for (Path dir : packageDirs(sources)) {
                packages++;
                String pkg = sources.relativize(dir).toString().replace('/', '.').replace('\\', '.');
                Path info = dir.resolve("package-info.java");
                if (!Files.isRegularFile(info)) {
                    problems.add(pkg + ": no package-info.java");
                    continue;
                }
                String text = Files.readString(info);
                if (!text.contains("package " + pkg + ";")) {
                    problems.add(pkg + ": package-info.java does not declare package " + pkg);
                }
                int doc = text.indexOf("/**");
                if (doc < 0 || doc > text.indexOf("package " + pkg + ";")) {
                    problems.add(pkg + ": package-info.java has no javadoc before the package line");
                } else if (!text.toLowerCase(Locale.ROOT).contains("import")) {
                    problems.add(pkg + ": package-info.java does not say what the package may import");
                }
            }
        }
        assertTrue(packages > 20, "found only " + packages + " packages under " + SOURCES);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void pureMathPackagesImportNeitherSparkNorDjl() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String pkg : NO_SPARK_NO_DJL) {
            Path dir = SOURCES.get(0).resolve(pkg.replace('.', '/'));
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) { // this package only, not advantage.spark
                files = s.filter(p -> p.toString().endsWith(".java")).toList();
            }
            assertFalse(files.isEmpty(), dir.toString());
            for (Path f : files) {
                Matcher m = FORBIDDEN.matcher(Files.readString(f));
                if (m.find()) {
                    problems.add(ROOT.relativize(f) + " mentions " + m.group(1));
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
