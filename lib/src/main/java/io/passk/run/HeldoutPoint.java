package io.passk.run;

/** Held-out pass@k at one k with its confidence interval {@code [ciLow, ciHigh]}. */
public record HeldoutPoint(int k, double passAtK, double ciLow, double ciHigh) {
}
