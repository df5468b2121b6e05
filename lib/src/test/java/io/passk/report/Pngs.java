package io.passk.report;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helper: a PNG decodes, has the expected size and actually shows something. */
public final class Pngs {

    private Pngs() {
    }

    public static BufferedImage assertDrawnPng(Path file, int width, int height) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " does not decode as an image");
        assertEquals(width, img.getWidth(), file + " width");
        assertEquals(height, img.getHeight(), file + " height");
        int colours = distinctColours(img, 9);
        assertTrue(colours > 8, file + " has only " + colours + " colours");
        return img;
    }

    /** Distinct pixel colours, counting stops at {@code enough}. */
    public static int distinctColours(BufferedImage img, int enough) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                seen.add(img.getRGB(x, y));
                if (seen.size() >= enough) {
                    return seen.size();
                }
            }
        }
        return seen.size();
    }

    /** Pixels of exactly {@code rgb} (to see that a series colour was drawn). */
    public static long count(BufferedImage img, int rgb) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == (rgb & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }
}
