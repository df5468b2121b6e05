package io.passk;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /**
     * The one syntax of the enforced line (documented in docs/development.md#packages): "May import:"
     * then "nothing" or package names separated by ", ", ending with a full stop; it may wrap over
     * javadoc lines.
     */
    private static final Pattern MAY_IMPORT = Pattern.compile("May import:\\s*(.*?)\\.(?=\\s|$)",
            Pattern.DOTALL);
    private static final Pattern PACKAGE_NAME = Pattern.compile("io\\.passk(\\.[a-z][a-z0-9_]*)*");
    private static final Pattern PACKAGE_LINE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final Pattern IMPORT = Pattern.compile(
            "(?m)^import\\s+(?:static\\s+)?(io\\.passk(?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]");
    /** A fully-qualified use in code, e.g. {@code io.passk.hf.peft.LoraConfig.read(...)}. */
    private static final Pattern QUALIFIED = Pattern.compile("\\b(io\\.passk(?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]");

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
        List<String> pure = purePackagesNamedInDevelopmentGuide();
        assertTrue(pure.contains("io.passk.estimate") && pure.contains("io.passk.advantage"),
                "docs/development.md names as pure: " + pure);
        for (String pkg : pure) {
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

    /** The packages the "Pure math is pure." rule of docs/development.md names in backquotes. */
    private static List<String> purePackagesNamedInDevelopmentGuide() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/development.md"));
        int rule = doc.indexOf("**Pure math is pure.**");
        assertTrue(rule >= 0, "docs/development.md has no \"Pure math is pure.\" rule");
        String sentence = doc.substring(rule, doc.indexOf("import neither", rule));
        List<String> pure = new ArrayList<>();
        Matcher m = Pattern.compile("`([a-z.]+)`").matcher(sentence);
        while (m.find()) {
            pure.add("io.passk." + m.group(1));
        }
        return pure;
    }

    /** A main source file and the io.passk packages it uses (imports and qualified names). */
    private record Source(Path file, String pkg, Map<String, Boolean> uses) { }

    private static List<Source> mainSources() throws IOException {
        List<Source> sources = new ArrayList<>();
        for (Path root : SOURCES) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(root)) {
                files = s.filter(p -> p.toString().endsWith(".java")
                        && !p.getFileName().toString().equals("package-info.java")).sorted().toList();
            }
            for (Path f : files) {
                String text = Files.readString(f);
                Matcher pm = PACKAGE_LINE.matcher(text);
                assertTrue(pm.find(), f + " has no package line");
                Map<String, Boolean> uses = new TreeMap<>(); // package -> imported (else qualified)
                Matcher im = IMPORT.matcher(text);
                while (im.find()) {
                    uses.put(im.group(1), true);
                }
                Matcher qm = QUALIFIED.matcher(code(text));
                while (qm.find()) {
                    uses.putIfAbsent(qm.group(1), false);
                }
                sources.add(new Source(f, pm.group(1), uses));
            }
        }
        return sources;
    }

    /** The code of a source file without comments, string literals, package and import lines. */
    static String code(String text) {
        String s = text.replaceAll("(?s)/\\*.*?\\*/", " ")
                .replaceAll("\"\"\"(?s).*?\"\"\"", "\"\"")
                .replaceAll("\"(?:\\\\.|[^\"\\\\\n])*\"", "\"\"")
                .replaceAll("//[^\n]*", " ");
        return s.replaceAll("(?m)^\\s*(?:import|package)\\s[^\n]*", " ");
    }

    /** Package name to the set its package-info's "May import:" line names. */
    private static Map<String, Set<String>> mayImport(List<String> problems) throws IOException {
        Map<String, Set<String>> allowed = new TreeMap<>();
        for (Path root : SOURCES) {
            for (Path dir : packageDirs(root)) {
                Path info = dir.resolve("package-info.java");
                if (!Files.isRegularFile(info)) {
                    continue; // reported by everyPackageHasAPackageInfoSayingWhatItOwnsAndMayImport
                }
                String text = Files.readString(info);
                Matcher pm = PACKAGE_LINE.matcher(text);
                if (!pm.find()) {
                    continue;
                }
                String pkg = pm.group(1);
                Matcher m = MAY_IMPORT.matcher(text.substring(0, pm.start()));
                if (!m.find()) {
                    problems.add(ROOT.relativize(info) + ": no \"May import: ...\" line");
                    continue;
                }
                String list = m.group(1).replaceAll("\\s*\\*\\s*", " ").replaceAll("\\s+", " ").trim();
                Set<String> names = new TreeSet<>();
                if (!list.equals("nothing")) {
                    for (String name : list.split(",")) {
                        String n = name.trim();
                        if (!PACKAGE_NAME.matcher(n).matches()) {
                            problems.add(ROOT.relativize(info) + ": \"May import:\" names \"" + n
                                    + "\", not a package name like io.passk.estimate");
                        }
                        names.add(n);
                    }
                }
                allowed.put(pkg, names);
            }
        }
        return allowed;
    }

    @Test
    void everySourceFileImportsOnlyWhatItsPackageInfoAllows() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> allowed = mayImport(problems);
        Set<String> known = new TreeSet<>(allowed.keySet());
        known.add("io.passk");
        for (Source s : mainSources()) {
            Set<String> mine = allowed.get(s.pkg());
            if (mine == null) {
                continue; // no package-info, reported by the test above
            }
            for (Map.Entry<String, Boolean> use : s.uses().entrySet()) {
                String target = use.getKey();
                if (target.equals(s.pkg()) || target.equals("io.passk") || mine.contains(target)) {
                    continue;
                }
                problems.add(ROOT.relativize(s.file()) + ": "
                        + (use.getValue() ? "imports " : "uses ") + target
                        + (known.contains(target) ? ", which the May import line of "
                        + s.pkg() + "'s package-info.java does not allow" : ", which is no package"));
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void packagesImportOneAnotherWithoutCycles() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Source s : mainSources()) {
            Set<String> out = graph.computeIfAbsent(s.pkg(), k -> new TreeSet<>());
            for (String target : s.uses().keySet()) {
                if (!target.equals(s.pkg())) {
                    out.add(target);
                }
            }
        }
        assertTrue(graph.size() > 20, "found only " + graph.size() + " packages");
        Set<String> cycles = new TreeSet<>();
        for (String start : graph.keySet()) {
            findCycles(graph, start, new ArrayList<>(List.of(start)), cycles);
        }
        assertTrue(cycles.isEmpty(), "import cycles between packages:\n" + String.join("\n", cycles));
    }

    /**
     * Every elementary cycle through the smallest package on it (so each cycle is found once, in
     * one spelling): a depth-first walk that only enters packages greater than the start.
     */
    private static void findCycles(Map<String, Set<String>> graph, String start, List<String> path,
            Set<String> cycles) {
        String last = path.get(path.size() - 1);
        for (String next : graph.getOrDefault(last, Set.of())) {
            if (next.equals(start)) {
                cycles.add(String.join(" -> ", path) + " -> " + start);
            } else if (next.compareTo(start) > 0 && !path.contains(next)) {
                path.add(next);
                findCycles(graph, start, path, cycles);
                path.remove(path.size() - 1);
            }
        }
    }

    @Test
    void commentsAndStringsAreNotCountedAsUses() {
        String code = code("package io.passk.a;\nimport io.passk.b.B;\n/** {@link io.passk.c.C} */\n"
                + "class A { String s = \"io.passk.d.D\"; // io.passk.e.E\n io.passk.f.F f; }\n");
        Matcher m = QUALIFIED.matcher(code);
        assertTrue(m.find());
        assertEquals("io.passk.f", m.group(1));
        assertFalse(m.find(), code);
    }
}
