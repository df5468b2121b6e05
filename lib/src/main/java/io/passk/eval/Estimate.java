package io.passk.eval;

/**
 * A mean over problems with its 95% percentile-bootstrap interval (NaN bounds without bootstrap).
 */
public record Estimate(double mean, double ciLow, double ciHigh) {
}
