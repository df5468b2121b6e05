package io.passk.report;

import io.passk.run.EpochMetrics;
import io.passk.run.RunData;
import io.passk.run.StageSeconds;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * The report page: a plain, self-contained HTML file (inline CSS, images by relative path, no
 * scripts, no timestamp) so the folder can be copied, zipped or attached as is.
 */
final class ReportHtml {

    private final StringBuilder html = new StringBuilder();

    ReportHtml(List<RunData> runs) {
        String names = String.join(", ", runs.stream().map(RunData::name).toList());
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append(ReportDirectory.GENERATOR_META).append('\n')
                .append("<title>passk run report: ").append(esc(names)).append("</title>\n")
                .append("<style>\n")
                .append("body{font-family:sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}\n")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}\n")
                .append("th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}\n")
                .append("th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append(".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(")
                .append(RunCharts.WIDTH).append("px,1fr));gap:1em 1.2em;margin-bottom:1.5em}\n")
                .append("figure{margin:0;max-width:100%}\n")
                .append("figure img{max-width:100%;height:auto;border:1px solid #eee}\n")
                .append("figcaption{font-size:.85em;color:#444}\n")
                .append(".note{color:#8a4b00}\n")
                .append("</style>\n</head>\n<body>\n")
                .append("<h1>passk run report</h1>\n<p>Runs: ").append(esc(names)).append("</p>\n");
    }

    void heading(String text) {
        html.append("<h2>").append(esc(text)).append("</h2>\n");
    }

    void subheading(String text) {
        html.append("<h3>").append(esc(text)).append("</h3>\n");
    }

    void paragraph(String text) {
        html.append("<p>").append(esc(text)).append("</p>\n");
    }

    void note(String text) {
        html.append("<p class=\"note\">").append(esc(text)).append("</p>\n");
    }

    /** Figures side by side (small multiples), as many per row as fit. */
    void figures(List<Figure> figures) {
        if (figures.isEmpty()) {
            return;
        }
        html.append("<div class=\"grid\">\n");
        figures.forEach(this::figure);
        html.append("</div>\n");
    }

    void figure(Figure f) {
        html.append("<figure><img src=\"").append(esc(f.file())).append("\" alt=\"").append(esc(f.title()))
                .append("\" width=\"").append(RunCharts.WIDTH).append("\" height=\"").append(RunCharts.HEIGHT)
                .append("\">\n<figcaption><b>").append(esc(f.title())).append(".</b> ")
                .append(esc(f.caption())).append("</figcaption></figure>\n");
    }

    /** One row per run: identity, first → last pass@1 / pass@k, and wall-clock. */
    void summaryTable(List<RunData> runs) {
        html.append("<table>\n<tr><th>run</th><th>method</th><th>k</th><th>seed</th><th>epochs</th>")
                .append("<th>train pass@1<br>first → last</th><th>train pass@k<br>first → last</th>")
                .append("<th>held-out pass@1<br>first → last</th><th>held-out pass@k<br>first → last</th>")
                .append("<th>wall-clock s</th><th>s / epoch</th></tr>\n");
        for (RunData r : runs) {
            List<EpochMetrics> e = r.metrics().epochs();
            StageSeconds total = r.metrics().totalSeconds();
            html.append("<tr><td>").append(esc(r.name())).append("</td><td>").append(esc(r.info().method()))
                    .append("</td>").append(num(Integer.toString(r.info().k()))).append("<td>")
                    .append(r.info().seed()).append("</td>")
                    .append(num(e.get(0).epoch() + "–" + e.get(e.size() - 1).epoch() + " (" + e.size() + ")"))
                    .append(num(firstToLast(r, EpochMetrics::trainPassAt1, false)))
                    .append(num(firstToLast(r, EpochMetrics::trainPassAtK, true)))
                    .append(num(heldoutFirstToLast(r, TrainingMetric.HELDOUT_PASS_AT_1, false)))
                    .append(num(heldoutFirstToLast(r, TrainingMetric.HELDOUT_PASS_AT_K, true)))
                    .append(num(secs(total.total())))
                    .append(num(secs(total.total() / e.size()))).append("</tr>\n");
        }
        html.append("</table>\n");
    }

    /** Seconds per stage per run, totals and share of the run's wall-clock. */
    void wallClockTable(List<RunData> runs) {
        html.append("<table>\n<tr><th>run</th><th>method</th><th>k</th>");
        for (String s : StageSeconds.STAGES) {
            html.append("<th>").append(esc(s)).append(" s</th>");
        }
        html.append("<th>other s</th><th>total s</th><th>s / epoch</th></tr>\n");
        for (RunData r : runs) {
            StageSeconds t = r.metrics().totalSeconds();
            html.append("<tr><td>").append(esc(r.name())).append("</td><td>").append(esc(r.info().method()))
                    .append("</td>").append(num(Integer.toString(r.info().k())));
            for (int i = 0; i < StageSeconds.STAGES.size(); i++) {
                html.append(num(secs(t.stage(i)) + share(t.stage(i), t.total())));
            }
            html.append(num(secs(t.other()) + share(t.other(), t.total())))
                    .append(num(secs(t.total())))
                    .append(num(secs(t.total() / r.metrics().epochs().size()))).append("</tr>\n");
        }
        html.append("</table>\n");
    }

    /** The run's configuration from run.json as a key/value table. */
    void configTable(RunData run) {
        html.append("<p>Directory: <code>").append(esc(run.dir().toString())).append("</code></p>\n")
                .append("<table>\n<tr><th>key</th><th>value</th></tr>\n");
        for (Map.Entry<String, String> e : run.info().config().entrySet()) {
            html.append("<tr><td><code>").append(esc(e.getKey())).append("</code></td><td>")
                    .append(esc(e.getValue())).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    String finish() {
        return html + "</body>\n</html>\n";
    }

    /** "0.310 → 0.450 (epochs 0 → 4)" over the epochs where the value was measured. */
    private static String firstToLast(RunData r, ToDoubleFunction<EpochMetrics> metric, boolean showK) {
        List<EpochMetrics> measured = r.metrics().measured(metric);
        if (measured.isEmpty()) {
            return "—";
        }
        EpochMetrics a = measured.get(0);
        EpochMetrics b = measured.get(measured.size() - 1);
        String ks = showK ? (a.k() == b.k() ? ", k=" + a.k() : ", k=" + a.k() + " → " + b.k()) : "";
        return fmt(metric.applyAsDouble(a)) + " → " + fmt(metric.applyAsDouble(b))
                + " (epochs " + a.epoch() + " → " + b.epoch() + ks + ")";
    }

    /**
     * Held-out first → last where first is the policy before training (heldout.csv epoch -1),
     * the value the training command prints first; without that curve, the first evaluated epoch.
     */
    private static String heldoutFirstToLast(RunData r, TrainingMetric metric, boolean showK) {
        OptionalDouble before = metric.beforeTraining(r);
        List<EpochMetrics> measured = r.metrics().measured(metric::of);
        if (before.isEmpty() || measured.isEmpty()) {
            return firstToLast(r, metric::of, showK);
        }
        EpochMetrics b = measured.get(measured.size() - 1);
        return fmt(before.getAsDouble()) + " → " + fmt(metric.of(b)) + " (before training → epoch " + b.epoch()
                + (showK ? ", k=" + r.info().k() : "") + ")";
    }

    private static String share(double part, double total) {
        return total > 0 ? String.format(Locale.ROOT, " (%.0f%%)", 100 * part / total) : "";
    }

    private static String num(String text) {
        return "<td class=\"num\">" + esc(text) + "</td>";
    }

    /** Seconds to a tenth: "164.2". */
    static String secs(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
