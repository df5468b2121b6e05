package io.passk.estimate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorrectnessTest {

    @Test
    void aSampleIsCorrectExactlyWhenItsRewardIsAtLeastOne() {
        assertTrue(Correctness.isCorrect(1.0));
        assertTrue(Correctness.isCorrect(1.5)); // out of range is caught by validation, not here
        assertFalse(Correctness.isCorrect(Math.nextDown(1.0)));
        assertFalse(Correctness.isCorrect(0.0));
        assertFalse(Correctness.isCorrect(Double.NaN));
    }
}
