package io.passk.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documentation cannot rot: every relative link and image in README.md, docs/ and
 * experiments/results/README.md resolves (the file exists; a {@code #anchor} names a heading of
 * the target page by GitHub's slug rules), every {@code bin/passk ...} command line in them is
 * accepted by the command-line parser ({@link CommandLine#parseArgs}: parsed, never run), and
 * every {@code docs/PAGE.md#anchor} that a source file or notebook cites exists, and README.md
 * stays short (at most 15,000 bytes; the detail lives in docs/). Failures name file:line and the
 * reason.
 */
class DocsTest {

    private static final Path ROOT = projectRoot();
    /** Documents that lived outside the repository; a citation of one cannot be followed. */
    private static final Pattern GONE = Pattern.compile("(?<![\\w/.])(DESIGN|REFERENCE)\\.md");

    /** The pages checked: README.md, every page under docs/, the results page beside the data. */
    static List<Path> pages() {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> s = Files.walk(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pages.add(ROOT.resolve("experiments/results/README.md"));
        return pages;
    }

    @Test
    void everyRelativeLinkAndImageResolves() {
        List<String> problems = new ArrayList<>();
        int links = 0;
        for (Path page : pages()) {
            for (Link link : Markdown.links(read(page))) {
                links++;
                String problem = checkTarget(page, link.target());
                if (problem != null) {
                    problems.add(ROOT.relativize(page) + ":" + link.line() + ": " + link.target() + ": " + problem);
                }
            }
        }
        assertTrue(links > 50, "found only " + links + " links: is the link scanner broken?");
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void everyBinPasskCommandLineIsAcceptedByTheParser() {
        List<String> problems = new ArrayList<>();
        Set<String> commandsSeen = new LinkedHashSet<>();
        for (Path page : pages()) {
            for (CommandLineInDoc c : Markdown.passkCommands(read(page))) {
                if (!c.args().isEmpty()) {
                    commandsSeen.add(c.args().get(0));
                }
                String problem = parseProblem(c.args());
                if (problem != null) {
                    problems.add(ROOT.relativize(page) + ":" + c.line() + ": bin/passk " + String.join(" ", c.args())
                            + ": " + problem);
                }
            }
        }
        // the docs show every command at least once
        for (String command : List.of("train", "experiment", "eval", "report", "tasks", "pretrain", "sample",
                "export", "bench", "synth-answers", "serve")) {
            assertTrue(commandsSeen.contains(command), "no doc shows a 'bin/passk " + command + "' command line");
        }
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void everyDocsPageAndAnchorThatSourcesCiteExists() throws IOException {
        Pattern cite = Pattern.compile("((?:docs/[A-Za-z0-9_-]+|experiments/results/README)\\.md)(#[a-z0-9_-]+)?");
        List<String> problems = new ArrayList<>();
        int cites = 0;
        for (String dir : List.of("lib/src", "jobs/src", "notebooks", "experiments", "bin")) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(ROOT.resolve(dir))) {
                files = s.filter(Files::isRegularFile)
                        .filter(p -> p.toString().matches(".*\\.(java|py|ipynb|yaml|sh)$") || p.getParent().endsWith("bin"))
                        .filter(p -> !p.getFileName().toString().equals("DocsTest.java"))   // its own examples
                        .sorted().toList();
            }
            for (Path f : files) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher gone = GONE.matcher(lines.get(i));
                    if (gone.find()) {
                        problems.add(ROOT.relativize(f) + ":" + (i + 1) + ": " + gone.group()
                                + ": no such file in the repository (the design and the formulas are docs/design.md and docs/reference.md)");
                    }
                    Matcher m = cite.matcher(lines.get(i));
                    while (m.find()) {
                        cites++;
                        String problem = checkTarget(ROOT.resolve("README.md"), m.group(1) + (m.group(2) == null ? "" : m.group(2)));
                        if (problem != null) {
                            problems.add(ROOT.relativize(f) + ":" + (i + 1) + ": " + m.group() + ": " + problem);
                        }
                    }
                }
            }
        }
        assertTrue(cites > 20, "found only " + cites + " citations of docs/: is the scanner broken?");
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void readmeIsAtMost15000Bytes() throws IOException {
        long size = Files.size(ROOT.resolve("README.md"));
        assertTrue(size <= 15_000, "README.md is " + size + " bytes: move detail into docs/ (limit 15,000)");
    }

    // ---- the checker's own rules, each proven on a small example ----

    @Test
    void slugsFollowGitHub() {
        assertEquals("run-report-passk-report", Markdown.slug("Run report (`passk report`)"));
        assertEquals("longer-training-48-epochs-3-methods", Markdown.slug("Longer training: 48 epochs, 3 methods"));
        assertEquals("confidence-intervals-the-poisson-bootstrap", Markdown.slug("Confidence intervals: the Poisson bootstrap"));
        assertEquals("passk-eval", Markdown.slug("**`passk` eval**"));
        assertEquals("the-decoder-iopasskhfdecoder", Markdown.slug("The decoder (`io.passk.hf.decoder`)"));
        assertEquals("method--pass1", Markdown.slug("method − pass1"));
        assertEquals("see-tasks", Markdown.slug("See [tasks](tasks.md)"));
        assertEquals(Set.of("a", "a-1", "a-2", "b"), Markdown.anchors("# A\n## A\n```\n# not a heading\n```\n### A\n# B\n"));
    }

    @Test
    void linksAreFoundOutsideCodeOnly() {
        String md = "See [a](x.md) and ![img](i.png \"title\") and `[no](code.md)`.\n"
                + "```\n[no](fenced.md)\n```\n[ref]: y.md#top\n[web](https://example.com) [same](#here)\n";
        List<String> targets = Markdown.links(md).stream().map(Link::target).toList();
        assertEquals(List.of("x.md", "i.png", "y.md#top", "https://example.com", "#here"), targets);
        assertEquals(5, Markdown.links(md).get(2).line());
        assertEquals(6, Markdown.links(md).get(3).line());
    }

    @Test
    void checkTargetNamesMissingFilesAndAnchors() {
        Path readme = ROOT.resolve("README.md");
        assertEquals(null, checkTarget(readme, "docs/eval.md#input"));
        assertEquals(null, checkTarget(readme, "https://example.com/nowhere"));
        assertEquals(null, checkTarget(readme, "docs/"));
        assertTrue(checkTarget(readme, "docs/no-such-page.md").startsWith("no such file"));
        assertTrue(checkTarget(readme, "docs/eval.md#no-such-heading").startsWith("no heading"));
        assertTrue(checkTarget(readme, "bin/passk#x").contains("not a Markdown page"));
    }

    @Test
    void commandLinesAreCutAtShellSyntaxAndSynopsisIsExpanded() {
        String md = "```bash\n"
                + "$ bin/passk eval --input data/x \\\n"
                + "   --k 1,2 --out /tmp/e   # a comment\n"
                + "PASSK_CDS=0 bin/passk report --run 'runs/a b' | tee log.txt\n"
                + "mvn -q package && bin/passk train [--init CKPT] --method pass1|pkpo [--seed 1 --resume] --out RUN\n"
                + "echo bin/passk not-a-command\n"
                + "```\n"
                + "Prose `bin/passk tasks --task maze --out DIR` and `passk eval` (not a command line).\n";
        List<CommandLineInDoc> found = Markdown.passkCommands(md);
        assertEquals(4, found.size());
        assertEquals(List.of("eval", "--input", "data/x", "--k", "1,2", "--out", "/tmp/e"), found.get(0).args());
        assertEquals(2, found.get(0).line());
        assertEquals(List.of("report", "--run", "runs/a b"), found.get(1).args());
        assertEquals(List.of("train", "--init", "CKPT", "--method", "pass1", "--seed", "1", "--resume", "--out", "RUN"),
                found.get(2).args());
        assertEquals(List.of("tasks", "--task", "maze", "--out", "DIR"), found.get(3).args());
        assertEquals(8, found.get(3).line());
    }

    @Test
    void theParserCheckRefusesWhatPasskRefuses() {
        assertEquals(null, parseProblem(List.of("eval", "--input", "DIR", "--k", "1,2", "--out", "DIR")));
        assertFalse(parseProblem(List.of("eval", "--input", "DIR", "--no-such-option")) == null);
        assertFalse(parseProblem(List.of("no-such-command")) == null);
        assertFalse(parseProblem(List.of("train", "--epochs", "many")) == null);
    }

    // ---- helpers ----

    /** Null when {@code target} (as written in {@code page}) resolves, else the reason. */
    static String checkTarget(Path page, String target) {
        if (target.isEmpty()) {
            return "empty link";
        }
        if (target.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            return null;   // http:, https:, mailto:: not checked here (no network in the tests)
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path file = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
        if (!file.startsWith(ROOT)) {
            return "points outside the repository";
        }
        if (!Files.exists(file)) {
            return "no such file " + ROOT.relativize(file);
        }
        if (anchor == null) {
            return null;
        }
        if (!file.toString().endsWith(".md")) {
            return "an anchor on " + ROOT.relativize(file) + ", which is not a Markdown page";
        }
        Set<String> anchors = Markdown.anchors(read(file));
        return anchors.contains(anchor) ? null
                : "no heading with anchor #" + anchor + " in " + ROOT.relativize(file);
    }

    /** Null when passk's parser accepts {@code args}, else its message. */
    static String parseProblem(List<String> args) {
        CommandLine cli = Passk.commandLine();
        try {
            cli.parseArgs(args.toArray(String[]::new));
            return null;
        } catch (CommandLine.ParameterException e) {
            return e.getMessage();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path projectRoot() {
        String prop = System.getProperty("passk.projectDir");
        Path start = (prop != null ? Path.of(prop) : Path.of("")).toAbsolutePath().normalize();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))
                    && Files.isDirectory(p.resolve("jobs"))) {
                return p;
            }
        }
        throw new IllegalStateException("no project root (README.md, docs/, jobs/) above " + start);
    }

    record Link(int line, String target) {
    }

    record CommandLineInDoc(int line, List<String> args) {
    }

    /** Just enough Markdown (CommonMark fences, inline code, links) and shell for the checks. */
    static final class Markdown {
        private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,}).*");
        private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)(\\s+#+)?\\s*$");
        private static final Pattern INLINE_LINK = Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
        private static final Pattern REFERENCE_DEF = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(\\s+.*)?$");
        private static final Pattern HTML_REF = Pattern.compile("<(?:a|img)\\s[^>]*?(?:href|src)=\"([^\"]*)\"");
        private static final Pattern HTML_ID = Pattern.compile("<a\\s[^>]*?(?:name|id)=\"([^\"]*)\"");
        private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");

        private Markdown() {
        }

        /** Lines outside fenced code blocks, numbered from 1; fenced lines are null. */
        private static List<String> prose(String text) {
            List<String> out = new ArrayList<>();
            String fence = null;
            for (String line : text.split("\n", -1)) {
                Matcher f = FENCE.matcher(line);
                if (fence == null && f.matches()) {
                    fence = f.group(1);
                    out.add(null);
                } else if (fence != null) {
                    if (line.trim().startsWith(fence) && line.trim().replace(fence.substring(0, 1), "").isEmpty()) {
                        fence = null;
                    }
                    out.add(null);
                } else {
                    out.add(line);
                }
            }
            return out;
        }

        /** Lines inside fenced code blocks (other lines null). */
        private static List<String> fenced(String text) {
            List<String> prose = prose(text);
            String[] lines = text.split("\n", -1);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < lines.length; i++) {
                boolean fenceLine = FENCE.matcher(lines[i]).matches();
                out.add(prose.get(i) == null && !fenceLine ? lines[i] : null);
            }
            return out;
        }

        static List<Link> links(String text) {
            List<Link> out = new ArrayList<>();
            List<String> lines = prose(text);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line == null) {
                    continue;
                }
                Matcher def = REFERENCE_DEF.matcher(line);
                if (def.matches()) {
                    out.add(new Link(i + 1, def.group(1)));
                    continue;
                }
                String noCode = CODE_SPAN.matcher(line).replaceAll(m -> " ".repeat(m.group().length()));
                Matcher m = INLINE_LINK.matcher(noCode);
                while (m.find()) {
                    out.add(new Link(i + 1, m.group(1)));
                }
                Matcher h = HTML_REF.matcher(noCode);
                while (h.find()) {
                    out.add(new Link(i + 1, h.group(1)));
                }
            }
            return out;
        }

        /** The anchors a page's headings (and explicit {@code <a name>} / {@code id}) give. */
        static Set<String> anchors(String text) {
            Set<String> out = new LinkedHashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            for (String line : prose(text)) {
                if (line == null) {
                    continue;
                }
                Matcher id = HTML_ID.matcher(line);
                while (id.find()) {
                    out.add(id.group(1));
                }
                Matcher h = HEADING.matcher(line);
                if (h.matches()) {
                    String slug = slug(h.group(2));
                    int n = seen.merge(slug, 1, Integer::sum) - 1;
                    out.add(n == 0 ? slug : slug + "-" + n);
                }
            }
            return out;
        }

        /**
         * GitHub's heading anchor: the heading's text (inline markup removed), lower case, every
         * character but letters, digits, '_', '-' and spaces dropped, spaces turned into '-'.
         */
        static String slug(String heading) {
            String text = heading
                    .replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1")   // links and images: their text
                    .replaceAll("<[^>]+>", "")                           // HTML tags
                    .replace("`", "").replace("*", "");
            StringBuilder b = new StringBuilder();
            text.trim().toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
                if (Character.isLetterOrDigit(c) || c == '_' || c == '-') {
                    b.appendCodePoint(c);
                } else if (c == ' ') {
                    b.append('-');
                }
            });
            return b.toString();
        }

        /**
         * Every {@code bin/passk} command line: in fenced code (a {@code \} at the end of a line
         * continues it) and in inline code spans; each cut into shell commands at unquoted
         * {@code |}, {@code ;}, {@code &&}, {@code ||}, {@code >} and {@code #}, after a leading
         * {@code $ } prompt and {@code NAME=value} prefixes.
         */
        static List<CommandLineInDoc> passkCommands(String text) {
            List<CommandLineInDoc> out = new ArrayList<>();
            List<String> code = fenced(text);
            for (int i = 0; i < code.size(); i++) {
                if (code.get(i) == null) {
                    continue;
                }
                int first = i;
                StringBuilder logical = new StringBuilder();
                String line = code.get(i);
                while (line.endsWith("\\") && i + 1 < code.size() && code.get(i + 1) != null) {
                    logical.append(line, 0, line.length() - 1).append(' ');
                    line = code.get(++i);
                }
                logical.append(line);
                for (List<String> command : shellCommands(logical.toString())) {
                    addIfPassk(out, first + 1, command);
                }
            }
            List<String> prose = prose(text);
            for (int i = 0; i < prose.size(); i++) {
                if (prose.get(i) == null) {
                    continue;
                }
                Matcher m = CODE_SPAN.matcher(prose.get(i));
                while (m.find()) {
                    String span = m.group(2).trim();
                    if (span.startsWith("bin/passk ")) {
                        for (List<String> command : shellCommands(span)) {
                            addIfPassk(out, i + 1, command);
                        }
                    }
                }
            }
            return out;
        }

        private static void addIfPassk(List<CommandLineInDoc> out, int line, List<String> words) {
            int w = 0;
            if (w < words.size() && words.get(w).equals("$")) {
                w++;
            }
            while (w < words.size() && words.get(w).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                w++;
            }
            if (w < words.size() && words.get(w).equals("bin/passk")) {
                out.add(new CommandLineInDoc(line, synopsis(words.subList(w + 1, words.size()))));
            }
        }

        /**
         * A synopsis line as the arguments it stands for: optional groups {@code [--opt V ...]}
         * keep their content, and {@code a|b|c} (a choice written without spaces) takes {@code a}.
         */
        static List<String> synopsis(List<String> words) {
            List<String> out = new ArrayList<>();
            int depth = 0;
            for (String word : words) {
                String w = word;
                while (w.startsWith("[-")) {
                    w = w.substring(1);
                    depth++;
                }
                while (depth > 0 && w.endsWith("]")) {
                    w = w.substring(0, w.length() - 1);
                    depth--;
                }
                int bar = w.indexOf('|');
                if (bar > 0 && !w.startsWith("'") && !w.contains("{")) {
                    w = w.substring(0, bar);
                }
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
            return out;
        }

        /**
         * Shell words of each command on a line: single and double quotes and backslash escapes
         * as the shell reads them; a {@code |} between spaces is a pipe, one inside a word is a
         * synopsis choice (kept for {@link #synopsis}).
         */
        static List<List<String>> shellCommands(String line) {
            List<List<String>> commands = new ArrayList<>();
            List<String> words = new ArrayList<>();
            StringBuilder word = null;
            int n = line.length();
            for (int i = 0; i < n; i++) {
                char c = line.charAt(i);
                if (c == '\'') {
                    int end = line.indexOf('\'', i + 1);
                    end = end < 0 ? n : end;
                    word = word == null ? new StringBuilder() : word;
                    word.append(line, i + 1, end);
                    i = end;
                } else if (c == '"') {
                    word = word == null ? new StringBuilder() : word;
                    int j = i + 1;
                    while (j < n && line.charAt(j) != '"') {
                        if (line.charAt(j) == '\\' && j + 1 < n) {
                            j++;
                        }
                        word.append(line.charAt(j));
                        j++;
                    }
                    i = j;
                } else if (c == '\\' && i + 1 < n) {
                    word = word == null ? new StringBuilder() : word;
                    word.append(line.charAt(++i));
                } else if (Character.isWhitespace(c)) {
                    if (word != null) {
                        words.add(word.toString());
                        word = null;
                    }
                } else if (word == null && c == '#') {
                    break;   // a comment
                } else if (c == ';' || c == '&' || c == '>' || c == '<'
                        || (c == '|' && (word == null || i + 1 >= n || Character.isWhitespace(line.charAt(i + 1))))) {
                    if (word != null && !(c == '>' && word.toString().matches("\\d"))) {
                        words.add(word.toString());
                    }
                    word = null;
                    if (!words.isEmpty()) {
                        commands.add(words);
                    }
                    words = new ArrayList<>();
                    if (c == '>' || c == '<') {
                        // the redirection's target is no argument
                        while (i + 1 < n && (line.charAt(i + 1) == '>' || line.charAt(i + 1) == '&'
                                || Character.isWhitespace(line.charAt(i + 1)))) {
                            i++;
                        }
                        while (i + 1 < n && !Character.isWhitespace(line.charAt(i + 1))) {
                            i++;
                        }
                        words = new ArrayList<>(List.of("#redirected"));
                    }
                    while (i + 1 < n && (line.charAt(i + 1) == '&' || line.charAt(i + 1) == '|')) {
                        i++;
                    }
                } else {
                    word = word == null ? new StringBuilder() : word;
                    word.append(c);
                }
            }
            if (word != null) {
                words.add(word.toString());
            }
            if (!words.isEmpty()) {
                commands.add(words);
            }
            return commands;
        }
    }
}
