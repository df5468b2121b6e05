package io.passk.report;

import io.passk.BadInputException;
import io.passk.report.chart.ChartStyle;
import io.passk.run.RunData;
import io.passk.run.RunDirectory;
import org.jfree.data.xy.YIntervalSeriesCollection;
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

    /**
     * Gives {@code run}'s heldout.csv the evaluation before training (epoch -1, as the trainer
     * writes it) with pass@1 = {@code p1} and pass@k = 1 - (1 - p1)^k; any epoch -1 rows the
     * fixture wrote are replaced.
     */
    private static Path withBeforeTraining(Path run, double p1) throws IOException {
        Path csv = run.resolve("heldout.csv");
        List<String> lines = Files.readAllLines(csv);
        StringBuilder out = new StringBuilder(lines.get(0)).append('\n');
        for (int k = 1; k <= 16; k *= 2) {
            double p = 1 - Math.pow(1 - p1, k);
            out.append(String.format(java.util.Locale.ROOT, "-1,%d,%.4f,%.4f,%.4f%n", k, p, Math.max(0, p - 0.05),
                    Math.min(1, p + 0.05)));
        }
        lines.subList(1, lines.size()).stream().filter(l -> !l.startsWith("-1,"))
                .forEach(l -> out.append(l).append('\n'));
        Files.writeString(csv, out);
        return run;
    }

    @Test
    void heldoutFirstIsTheValueBeforeTrainingAndTheHeldoutCurvesStartWithIt(@TempDir Path tmp) throws Exception {
        // passk-analytic, k = 4, 5 epochs, evaluated after epochs 0, 2, 4; before training pass@1 0.10
        Path run = withBeforeTraining(FakeRuns.write(tmp.resolve("run"), "pk", "passk-analytic", 4, 5, 2, true), 0.10);
        Path out = tmp.resolve("rep");
        String html = Files.readString(RunReport.write(List.of(run), out));
        // held-out pass@1 after epoch 4: 0.2 + 0.05 * 4 * 1.4 - 0.08 = 0.40; pass@4 before: 1 - 0.9^4
        assertTrue(html.contains("0.100 → 0.400 (before training → epoch 4)"), "held-out pass@1 from before training");
        assertTrue(html.contains("0.344 → 0.802 (before training → epoch 4, k=4)"), "held-out pass@k from before training");
        assertTrue(html.contains("0.200 → 0.480 (epochs 0 → 4)"), "train pass@1 unchanged");
        Pngs.assertDrawnPng(out.resolve("curve-heldout_pass_at_1.png"), RunCharts.WIDTH, RunCharts.HEIGHT);

        RunCharts charts = new RunCharts(List.of(RunDirectory.read(run)), tmp);
        YIntervalSeriesCollection held = (YIntervalSeriesCollection) charts
                .trainingCurveChart(TrainingMetric.HELDOUT_PASS_AT_1).orElseThrow().build().getXYPlot().getDataset();
        // x = epochs trained: before training at 0, epoch e's evaluation (after its update) at e + 1
        assertEquals(List.of(0.0, 1.0, 3.0, 5.0), xs(held));
        assertEquals(0.10, held.getYValue(0, 0), 1e-12);
        assertEquals(0.12, held.getYValue(0, 1), 1e-12);
        YIntervalSeriesCollection heldK = (YIntervalSeriesCollection) charts
                .trainingCurveChart(TrainingMetric.HELDOUT_PASS_AT_K).orElseThrow().build().getXYPlot().getDataset();
        assertEquals(0.3439, heldK.getYValue(0, 0), 1e-12, "pass@k before training at the run's k = 4");
        YIntervalSeriesCollection train = (YIntervalSeriesCollection) charts
                .trainingCurveChart(TrainingMetric.TRAIN_PASS_AT_1).orElseThrow().build().getXYPlot().getDataset();
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0), xs(train), "train rollouts of epoch e: e epochs trained");
    }

    @Test
    void theLastHeldoutChartCountsEpochsTrainedAsTheConsoleDoes(@TempDir Path tmp) throws Exception {
        // 5 epochs evaluated after epochs 0, 2, 4 (heldout.csv numbers them from 0): the console
        // ends at "epoch 5/5", so the last curve is after 5 epochs, not "epoch 4"
        Path run = withBeforeTraining(FakeRuns.write(tmp.resolve("run"), "pk", "passk-analytic", 4, 5, 2, true), 0.10);
        RunCharts charts = new RunCharts(List.of(RunDirectory.read(run)), tmp);
        YIntervalSeriesCollection last = (YIntervalSeriesCollection) charts
                .heldoutPassAtKChart(RunCharts.EpochPosition.LAST).orElseThrow().build().getXYPlot().getDataset();
        assertEquals("pk (after 5 epochs)", last.getSeriesKey(0));
        YIntervalSeriesCollection first = (YIntervalSeriesCollection) charts
                .heldoutPassAtKChart(RunCharts.EpochPosition.FIRST).orElseThrow().build().getXYPlot().getDataset();
        assertEquals("pk (before training)", first.getSeriesKey(0));
        // probabilities: never drawn outside [0, 1]
        org.jfree.data.Range y = charts.heldoutPassAtKChart(RunCharts.EpochPosition.LAST).orElseThrow().build()
                .getXYPlot().getRangeAxis().getRange();
        assertTrue(y.getLowerBound() >= 0 && y.getUpperBound() <= 1, y.toString());
    }

    private static List<Double> xs(YIntervalSeriesCollection data) {
        List<Double> out = new java.util.ArrayList<>();
        for (int j = 0; j < data.getItemCount(0); j++) {
            out.add(data.getXValue(0, j));
        }
        return out;
    }

    private static void assertNoTempLeftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> left = s.filter(p -> p.getFileName().toString().matches("\\..*\\.(tmp|old)-.*")).toList();
            assertEquals(List.of(), left);
        }
    }
}
