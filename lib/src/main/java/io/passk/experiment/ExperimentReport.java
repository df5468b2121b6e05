package io.passk.experiment;

import io.passk.experiment.ExperimentComparison.Stat;
import io.passk.report.chart.BarChart;
import io.passk.report.chart.ChartStyle;
import io.passk.report.chart.LineChart;
import io.passk.report.ReportDirectory;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Function;

/**
 * The experiment's {@code report/} folder: the comparison table (Markdown and CSV, mean ± std
 * over seeds), the final pass@k of every k (CSV), PNG plots (pass@k against k per method;
 * held-out pass@1 and pass@k over epochs; entropy over epochs; wall-clock per run) and an
 * {@code index.html} that shows them. Published like the run report ({@link ReportDirectory}): written
 * to a temporary sibling and swapped in, so a failed write leaves the previous report in place.
 */
public final class ExperimentReport {

    static final int WIDTH = 900;
    static final int HEIGHT = 560;

    private ExperimentReport() {
    }

    /** Writes the report of {@code c} into {@code dir} (replacing an earlier one); returns index.html. */
    public static Path write(ExperimentConfig cfg, ExperimentComparison c, Path dir) {
        ReportDirectory.publish(dir, tmp -> render(cfg, c, tmp));
        return dir.resolve("index.html");
    }

    private static void render(ExperimentConfig cfg, ExperimentComparison c, Path tmp) throws IOException {
        int[] ks = ExperimentComparison.tableKs(cfg.finalSamples());
        String table = c.markdown(ks);
        List<String> bases = c.baseModels();
        StringBuilder md = new StringBuilder("# " + cfg.name() + ": final held-out pass@k, mean ± std over "
                + (bases.isEmpty() ? "seeds" : bases.size() + " base models × " + cfg.seeds().size() + " seeds")
                + "\n\n" + table);
        StringBuilder byBase = new StringBuilder();
        for (String b : bases) {
            ExperimentComparison cb = c.onBase(b);
            md.append("\n## base model ").append(b).append(": mean ± std over seeds\n\n").append(cb.markdown(ks));
            String csv = cb.summaryCsv(ks);
            if (byBase.isEmpty()) {
                byBase.append("base_model,").append(csv.lines().findFirst().orElseThrow()).append('\n');
            }
            csv.lines().skip(1).forEach(line -> byBase.append(b).append(',').append(line).append('\n'));
        }
        Files.writeString(tmp.resolve("comparison.md"), md.toString());
        Files.writeString(tmp.resolve("comparison.csv"), c.summaryCsv(ks));
        if (!bases.isEmpty()) {
            Files.writeString(tmp.resolve("comparison_by_base_model.csv"), byBase.toString());
        }
        Files.writeString(tmp.resolve("final_pass_at_k.csv"), c.finalCsv());
        String reference = c.methods().contains(REFERENCE) ? REFERENCE
                : c.methods().stream().filter(m -> !m.equals(ExperimentComparison.BASE)).findFirst().orElse(REFERENCE);
        List<PairedDifferences.Difference> paired = PairedDifferences.compute(c.results(), reference, ks);
        StringBuilder pmd = new StringBuilder("# " + cfg.name() + ": paired differences against " + reference + "\n\n"
                + PAIRED_EXPLANATION.replace("REF", reference) + "\n\n## all base models\n\n"
                + PairedDifferences.markdown(paired, ks, reference));
        StringBuilder pcsv = new StringBuilder(PairedDifferences.CSV_HEADER)
                .append(PairedDifferences.csvRows("all", reference, paired));
        for (String b : bases) {
            List<PairedDifferences.Difference> pb = PairedDifferences.compute(c.onBase(b).results(), reference, ks);
            pmd.append("\n## base model ").append(b).append("\n\n").append(PairedDifferences.markdown(pb, ks, reference));
            pcsv.append(PairedDifferences.csvRows(b, reference, pb));
        }
        Files.writeString(tmp.resolve("paired_differences.md"), pmd.toString());
        Files.writeString(tmp.resolve("paired_differences.csv"), pcsv.toString());
        Map<String, Color> colors = new LinkedHashMap<>();
        for (String m : c.methods()) {
            colors.put(m, m.equals(ExperimentComparison.BASE) ? Color.GRAY : ChartStyle.color(colors.size()));
        }
        List<String[]> figures = new ArrayList<>();
        figures.add(passAtKVsK(c, colors, tmp));
        int trainK = cfg.training().k();
        figures.add(overEpochs(c, colors, tmp, "heldout_pass_at_1_over_epochs.png", "Held-out pass@1 over epochs",
                "held-out pass@1", m -> c.heldoutOverEpochs(m, 1), true));
        figures.add(overEpochs(c, colors, tmp, "heldout_pass_at_" + trainK + "_over_epochs.png",
                "Held-out pass@" + trainK + " over epochs", "held-out pass@" + trainK,
                m -> c.heldoutOverEpochs(m, trainK), true));
        int evalN = cfg.training().heldout().samples();
        if (evalN != trainK && evalN != 1) {
            figures.add(overEpochs(c, colors, tmp, "heldout_pass_at_" + evalN + "_over_epochs.png",
                    "Held-out pass@" + evalN + " over epochs", "held-out pass@" + evalN,
                    m -> c.heldoutOverEpochs(m, evalN), true));
        }
        figures.add(overEpochs(c, colors, tmp, "entropy_over_epochs.png", "Train rollout entropy over epochs",
                "mean token entropy (nats)", c::entropyOverEpochs, false));
        figures.add(secondsPerRun(c, colors, tmp));
        if (!bases.isEmpty()) {
            for (int k : new int[]{1, cfg.finalSamples()}) {
                figures.add(byBaseModel(c, bases, k, tmp));
            }
        }
        if (!paired.isEmpty()) {
            figures.add(pairedVsK(paired, reference, colors, tmp));
        }
        Files.writeString(tmp.resolve("index.html"), html(cfg, c, table, figures, paired, ks, reference));
    }

    /** The method every paired difference is taken against. */
    static final String REFERENCE = "pass1";

    private static final String PAIRED_EXPLANATION = "Each cell: the method's final held-out value minus REF's, "
            + "paired by run (base model, seed) and by held-out problem, averaged; in brackets the 95% interval of a "
            + "bootstrap that resamples runs and problems (" + PairedDifferences.REPLICATES + " replicates). **Bold**: "
            + "the interval excludes 0. Entropy: mean token entropy of the final evaluation's samples (nats).";

    private static String[] byBaseModel(ExperimentComparison c, List<String> bases, int k, Path dir) {
        BarChart.Builder chart = BarChart.builder().title("Final held-out pass@" + k + " per base model (mean ± std over seeds)")
                .categoryLabel("method").valueLabel("pass@" + k).verticalCategoryLabels(c.methods().size() > 5);
        for (String b : bases) {
            ExperimentComparison cb = c.onBase(b);
            for (String m : cb.methods()) {
                Stat s = cb.finalPassAtK(m).get(k);
                if (s != null) {
                    chart.value("base model " + b, m, s.mean(), s.std());
                }
            }
        }
        String file = "pass_at_" + k + "_by_base_model.png";
        chart.writePng(dir.resolve(file), WIDTH, HEIGHT);
        return new String[]{file, "Final held-out pass@" + k + " of every method on each base model (bars: mean over "
                + "seeds, whiskers ± one standard deviation): the spread across base models next to the spread across seeds."};
    }

    private static String[] pairedVsK(List<PairedDifferences.Difference> paired, String reference,
                                      Map<String, Color> colors, Path dir) {
        LineChart.Builder chart = LineChart.builder().title("Paired difference in final held-out pass@k vs " + reference
                        + " (95% bootstrap interval)").xLabel("k").yLabel("pass@k − " + reference).log2X(true);
        Map<String, List<PairedDifferences.Difference>> byMethod = new LinkedHashMap<>();
        for (PairedDifferences.Difference d : paired) {
            if (d.metric().equals(PairedDifferences.PASS_AT_K)) {
                byMethod.computeIfAbsent(d.method(), m -> new ArrayList<>()).add(d);
            }
        }
        double minK = Double.MAX_VALUE;
        double maxK = 0;
        for (Map.Entry<String, List<PairedDifferences.Difference>> e : byMethod.entrySet()) {
            List<PairedDifferences.Difference> ds = e.getValue();
            double[] xs = new double[ds.size()];
            double[] ys = new double[ds.size()];
            double[] lo = new double[ds.size()];
            double[] hi = new double[ds.size()];
            for (int i = 0; i < ds.size(); i++) {
                xs[i] = ds.get(i).k();
                ys[i] = ds.get(i).mean();
                lo[i] = ds.get(i).low();
                hi[i] = ds.get(i).high();
                minK = Math.min(minK, xs[i]);
                maxK = Math.max(maxK, xs[i]);
            }
            chart.series(e.getKey(), xs, ys).band(e.getKey(), lo, hi).color(e.getKey(), colors.get(e.getKey()));
        }
        chart.series("no difference", new double[]{minK, maxK}, new double[]{0, 0}).color("no difference", Color.GRAY);
        String file = "paired_differences_vs_k.png";
        chart.writePng(dir.resolve(file), WIDTH, HEIGHT);
        return new String[]{file, "Each method's final held-out pass@k minus " + reference + "'s, paired by (base model, "
                + "seed) and problem; band: 95% bootstrap interval over runs and problems. Where a band leaves the grey "
                + "zero line the difference is resolved."};
    }

    private static String[] passAtKVsK(ExperimentComparison c, Map<String, Color> colors, Path dir) {
        LineChart.Builder chart = LineChart.builder().title("Final held-out pass@k vs k (mean ± std over seeds)")
                .xLabel("k").yLabel("pass@k").log2X(true).shapes(false);
        for (String m : c.methods()) {
            addSeries(chart, m, c.finalPassAtK(m), colors.get(m), 0);
        }
        String file = "pass_at_k_vs_k.png";
        chart.writePng(dir.resolve(file), WIDTH, HEIGHT);
        return new String[]{file, "Final held-out pass@k against k (log scale) per method; the band is ± one "
                + "standard deviation over seeds. 'base' is the starting model, evaluated the same way."};
    }

    private static String[] overEpochs(ExperimentComparison c, Map<String, Color> colors, Path dir, String file,
                                       String title, String yLabel, Function<String, SortedMap<Integer, Stat>> f,
                                       boolean afterEpoch) {
        // a held-out value of epoch e is measured after it (e + 1 epochs trained; -1: the base
        // model, 0); epoch e's train rollouts come from the policy before its update (e trained)
        LineChart.Builder chart = LineChart.builder().title(title + " (mean ± std over seeds)")
                .xLabel("epochs trained").yLabel(yLabel).integerX(true);
        boolean any = false;
        for (String m : c.methods()) {
            SortedMap<Integer, Stat> s = f.apply(m);
            if (!s.isEmpty() && !m.equals(ExperimentComparison.BASE)) {
                addSeries(chart, m, s, colors.get(m), afterEpoch ? 1 : 0);
                any = true;
            }
        }
        if (!any) {
            chart.series("no data", new double[0], new double[0]);
        }
        chart.writePng(dir.resolve(file), WIDTH, HEIGHT);
        return new String[]{file, title + "; x = epochs trained " + (afterEpoch
                ? "when it was measured (0: the base model)" : "before the epoch's rollouts (0: the base model's)")
                + "; band ± one standard deviation over seeds."};
    }

    private static String[] secondsPerRun(ExperimentComparison c, Map<String, Color> colors, Path dir) {
        BarChart.Builder chart = BarChart.builder().title("Wall-clock per run (mean ± std over seeds)")
                .categoryLabel("method").valueLabel("minutes").verticalCategoryLabels(c.methods().size() > 5);
        for (String m : c.methods()) {
            Stat s = c.secondsPerRun(m);
            chart.value("minutes per run", m, s.mean() / 60, s.std() / 60);
        }
        String file = "minutes_per_run.png";
        chart.writePng(dir.resolve(file), WIDTH, HEIGHT);
        return new String[]{file, "Wall-clock minutes per run: training epochs (with their periodic held-out "
                + "evaluations) plus the final evaluation; 'base' is its evaluation only."};
    }

    private static void addSeries(LineChart.Builder chart, String name, SortedMap<Integer, Stat> s, Color color,
                                  int xShift) {
        double[] xs = new double[s.size()];
        double[] ys = new double[s.size()];
        double[] lo = new double[s.size()];
        double[] hi = new double[s.size()];
        int i = 0;
        for (Map.Entry<Integer, Stat> e : s.entrySet()) {
            xs[i] = e.getKey() + xShift;
            ys[i] = e.getValue().mean();
            lo[i] = ys[i] - e.getValue().std();
            hi[i] = ys[i] + e.getValue().std();
            i++;
        }
        chart.series(name, xs, ys).band(name, lo, hi).color(name, color);
    }

    private static String html(ExperimentConfig cfg, ExperimentComparison c, String markdownTable,
                               List<String[]> figures, List<PairedDifferences.Difference> paired, int[] ks,
                               String reference) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append(ReportDirectory.GENERATOR_META).append('\n')
                .append("<title>passk experiment: ").append(esc(cfg.name())).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}\n")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}\n")
                .append("th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}\n")
                .append("th{background:#f3f3f3}td:first-child{text-align:left}\n")
                .append("figure{display:inline-block;margin:0 1em 1.5em 0;max-width:100%}\n")
                .append("figure img{max-width:100%;height:auto;border:1px solid #eee}\n")
                .append("figcaption{font-size:.9em;color:#444;max-width:900px}\n</style>\n</head>\n<body>\n")
                .append("<h1>passk experiment: ").append(esc(cfg.name())).append("</h1>\n<p>")
                .append(c.methods().size() - (c.methods().contains(ExperimentComparison.BASE) ? 1 : 0))
                .append(" methods × ").append(cfg.seeds().size()).append(" seeds")
                .append(c.baseModels().isEmpty() ? "" : " × " + c.baseModels().size() + " base models").append(", ")
                .append(cfg.training().epochs()).append(" epochs of ").append(cfg.training().promptsPerEpoch())
                .append(" problems × ").append(cfg.training().sampling().n()).append(" rollouts each; final held-out ")
                .append("evaluation with ").append(cfg.finalSamples()).append(" samples per problem. ")
                .append("Configuration: <a href=\"../experiment.json\">experiment.json</a>; tables: ")
                .append("<a href=\"comparison.csv\">comparison.csv</a>, ")
                .append("<a href=\"final_pass_at_k.csv\">final_pass_at_k.csv</a>, ")
                .append("<a href=\"paired_differences.csv\">paired_differences.csv</a>.</p>\n")
                .append("<h2>Final held-out pass@k (mean ± std over ")
                .append(c.baseModels().isEmpty() ? "seeds" : "base models × seeds").append(")</h2>\n");
        table(h, markdownTable);
        if (!paired.isEmpty()) {
            h.append("<h2>Paired differences against ").append(esc(reference)).append("</h2>\n<p>")
                    .append(esc(PAIRED_EXPLANATION.replace("REF", reference).replace("**Bold**", "Bold"))).append("</p>\n");
            table(h, PairedDifferences.markdown(paired, ks, reference));
        }
        for (String b : c.baseModels()) {
            h.append("<h2>Base model ").append(esc(b)).append(" (mean ± std over seeds)</h2>\n");
            table(h, c.onBase(b).markdown(ks));
        }
        h.append("<h2>Plots</h2>\n");
        for (String[] f : figures) {
            h.append("<figure><img src=\"").append(esc(f[0])).append("\" width=\"").append(WIDTH)
                    .append("\" height=\"").append(HEIGHT).append("\" alt=\"").append(esc(f[0]))
                    .append("\">\n<figcaption>").append(esc(f[1])).append("</figcaption></figure>\n");
        }
        return h.append("</body>\n</html>\n").toString();
    }

    /** A Markdown table as an HTML table; bold cells ({@code **x**}) become {@code <b>}. */
    private static void table(StringBuilder h, String markdownTable) {
        h.append("<table>\n");
        boolean header = true;
        for (String line : markdownTable.split("\n")) {
            if (line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|");
            h.append("<tr>");
            for (String cell : cells) {
                String text = cell.trim();
                boolean bold = text.startsWith("**") && text.endsWith("**") && text.length() > 4;
                text = esc(bold ? text.substring(2, text.length() - 2) : text);
                h.append(header ? "<th>" : "<td>").append(bold ? "<b>" + text + "</b>" : text)
                        .append(header ? "</th>" : "</td>");
            }
            h.append("</tr>\n");
            header = false;
        }
        h.append("</table>\n");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
