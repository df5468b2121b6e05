package io.passk.report.chart;

import org.jfree.chart.JFreeChart;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Renders a chart to a PNG of a fixed size. Headless (no display needed) and deterministic: the
 * same chart gives the same bytes (no timestamps or other metadata are written).
 */
public final class PngCharts {

    static {
        headless();
    }

    private PngCharts() {
    }

    /** Must run before the first AWT call; every chart class calls it from its initialiser. */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Draws {@code chart} into a {@code width × height} RGB image. */
    public static BufferedImage render(JFreeChart chart, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Writes {@code chart} as a {@code width × height} PNG to {@code file} (parent must exist). */
    public static void writePng(JFreeChart chart, Path file, int width, int height) {
        try (OutputStream out = Files.newOutputStream(file)) {
            writePng(chart, out, width, height);
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException("cannot write " + file, e instanceof IOException io ? io
                    : ((UncheckedIOException) e).getCause());
        }
    }

    /**
     * Writes {@code chart} as a {@code width × height} PNG to {@code out}, which stays open (the
     * caller's atomic output commits or discards it).
     */
    public static void writePng(JFreeChart chart, OutputStream out, int width, int height) {
        BufferedImage image = render(chart, width, height);
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a PNG", e);
        }
    }
}
