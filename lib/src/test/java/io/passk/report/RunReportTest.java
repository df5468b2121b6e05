package io.passk.report;

import io.passk.BadInputException;
import io.passk.report.chart.ChartStyle;
import io.passk.run.RunData;
import io.passk.run.RunDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunReportTest {

    /** One two-run report shared by the tests that only read it (charts take ~1 s per report). */
    @TempDir
    static Path shared;
    private static List<Path> sharedRuns;
    private static Path sharedReport;

    @BeforeAll
    static void writeSharedReport() {
        sharedRuns = twoRuns(shared);
        sharedReport = shared.resolve("report");
        RunReport.write(sharedRuns, sharedReport);
    }

    private static List<Path> twoRuns(Path tmp) {
        Path a = FakeRuns.write(tmp.resolve("run-a"), "pass1-baseline", "pass1", 1, 5, 2, true);
        Path b = FakeRuns.write(tmp.resolve("run-b"), "passk-analytic", "passk-analytic", 4, 4, 2, false);
        return List.of(a, b);
    }

    private static Set<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> imgSources(String html) {
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        Set<String> out = new TreeSet<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void indexReferencesEveryPngItWroteAndEveryPngIsADrawnImageOfTheFixedSize() throws Exception {
        Path out = sharedReport;
        Path index = out.resolve("index.html");
        String html = Files.readString(index, StandardCharsets.UTF_8);
        Set<String> pngs = files(out).stream().filter(f -> f.endsWith(".png")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(pngs, imgSources(html), "every PNG is shown and every shown image exists");
        Set<String> expected = new TreeSet<>();
        for (TrainingMetric m : TrainingMetric.values()) {
            expected.add("curve-" + m.column() + ".png");
        }
        expected.addAll(List.of("heldout-passk-first.png", "heldout-passk-last.png",
                "wallclock-total.png", "wallclock-per-epoch.png"));
        assertEquals(expected, pngs);
        for (String png : pngs) {
            java.awt.image.BufferedImage img = Pngs.assertDrawnPng(out.resolve(png), RunCharts.WIDTH, RunCharts.HEIGHT);
            if (png.startsWith("curve-")) {
                // both runs overlaid, each in its palette colour
                assertTrue(Pngs.count(img, ChartStyle.color(0).getRGB()) > 100, png + ": run 0 line");
                assertTrue(Pngs.count(img, ChartStyle.color(1).getRGB()) > 100, png + ": run 1 line");
            }
        }
        assertEquals(Set.of("index.html"), files(out).stream().filter(f -> !f.endsWith(".png")).collect(Collectors.toSet()));
    }

    @Test
    void pageShowsRunsConfigFirstToLastValuesAndWhichRunLacksHeldoutCurves() throws Exception {
        String html = Files.readString(sharedReport.resolve("index.html"));
        assertTrue(html.contains("pass1-baseline") && html.contains("passk-analytic"));
        // run.json flattened into the configuration table
        assertTrue(html.contains("<code>config.schedule</code></td><td>constant"), "config key");
        assertTrue(html.contains("<code>provenance.passk</code></td><td>0.1.0"), "provenance key");
        // FakeRuns: pass@1 = 0.2 + 0.05 e for pass1 over epochs 0..4
        assertTrue(html.contains("0.200 → 0.400 (epochs 0 → 4)"), "train pass@1 first → last");
        // held-out pass@1 only at evaluated epochs 0, 2, 4 → first 0.170, last 0.370
        assertTrue(html.contains("0.170 → 0.370 (epochs 0 → 4)"), "held-out pass@1 first → last");
        assertTrue(html.contains("passk-analytic (no heldout.csv)"), "says which run is not in the held-out plots");
        assertFalse(html.matches("(?s).*(src|href)=\"(/|[a-z]+:).*"), "only relative links");
    }

    @Test
    void withoutAnyHeldoutEvaluationTheHeldoutPlotsAreSkippedAndThePageSaysSo(@TempDir Path tmp) throws Exception {
        // no heldout.csv and every heldout_* cell of metrics.csv empty
        Path run = FakeRuns.write(tmp.resolve("solo"), "solo", "pass1", 1, 3, 0, false);
        Path out = tmp.resolve("rep");
        String html = Files.readString(RunReport.write(List.of(run), out));
        assertTrue(html.contains("no run has rows in heldout.csv"));
        assertTrue(html.contains("Not plotted (no run measured it): heldout_pass_at_1, heldout_pass_at_k."));
        assertFalse(Files.exists(out.resolve("heldout-passk-first.png")));
        assertFalse(Files.exists(out.resolve("curve-heldout_pass_at_1.png")));
        assertEquals(imgSources(html), files(out).stream().filter(f -> f.endsWith(".png"))
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void sameInputsGiveByteIdenticalReports(@TempDir Path tmp) throws Exception {
        Path again = tmp.resolve("again");
        Path index = RunReport.write(sharedRuns, again);
        assertEquals(again.resolve("index.html"), index);
        assertEquals(files(sharedReport), files(again));
        for (String f : files(sharedReport)) {
            assertArrayEquals(Files.readAllBytes(sharedReport.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
        }
    }

    @Test
    void replacesAnEarlierReportButNeverAFolderThatIsNotAReport(@TempDir Path tmp) throws Exception {
        List<Path> runs = twoRuns(tmp);
        Path out = tmp.resolve("rep");
        Files.createDirectories(out); // an empty folder may be used
        RunReport.write(runs.subList(1, 2), out);
        Files.writeString(out.resolve("stale.png"), "old");
        RunReport.write(runs.subList(0, 1), out);
        assertFalse(Files.exists(out.resolve("stale.png")), "old report replaced as a whole");
        assertFalse(Files.readString(out.resolve("index.html")).contains("passk-analytic"));

        Path precious = tmp.resolve("precious");
        Files.createDirectories(precious);
        Files.writeString(precious.resolve("notes.txt"), "keep me");
        BadInputException e = assertThrows(BadInputException.class, () -> RunReport.write(runs, precious));
        assertTrue(e.getMessage().contains("not a passk report"), e.getMessage());
        assertEquals(Set.of("notes.txt"), files(precious));
        // a run directory itself is never a valid report target
        assertThrows(BadInputException.class, () -> RunReport.write(runs, runs.get(0)));
        assertTrue(Files.exists(runs.get(0).resolve("metrics.csv")));
        assertNoTempLeftovers(tmp);
    }

    @Test
    void badRunWritesNothing(@TempDir Path tmp) throws Exception {
        List<Path> runs = twoRuns(tmp);
        Files.writeString(runs.get(1).resolve("metrics.csv"), FakeRuns.METRICS_HEADER + "\n"
                + "0,pass1,1,0.5,0.1,0.2,0.3,,,1.0,0.5,40,800,0.1,1,1,1,1,1,oops\n");
        Path out = tmp.resolve("deep/report");
        BadInputException e = assertThrows(BadInputException.class, () -> RunReport.write(runs, out));
        assertTrue(e.getMessage().contains("metrics.csv") && e.getMessage().contains("seconds_total")
                && e.getMessage().contains("oops"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("deep")), "nothing written, not even the parent");
    }

    @Test
    void runsSharingANameAreToldApart(@TempDir Path tmp) throws Exception {
        Path a = FakeRuns.write(tmp.resolve("x/run"), "same", "pass1", 1, 2, 1, true);
        Path b = FakeRuns.write(tmp.resolve("y/run"), "same", "pass1", 1, 2, 1, true);
        List<RunData> runs = RunReport.distinctNames(List.of(RunDirectory.read(a), RunDirectory.read(b)));
        assertEquals(List.of("same", "same #2"), runs.stream().map(RunData::name).toList());
    }

    private static void assertNoTempLeftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> left = s.filter(p -> p.getFileName().toString().matches("\\..*\\.(tmp|old)-.*")).toList();
            assertEquals(List.of(), left);
        }
    }
}
