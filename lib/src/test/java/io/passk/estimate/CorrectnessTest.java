package io.passk.estimate;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void theNotebookHelperUsesTheSameThreshold() throws IOException {
        // the notebooks colour and count in Python without the JVM: their one constant must agree
        Path nb = Path.of("").toAbsolutePath().getParent().resolve("notebooks/passk_nb.py");
        Matcher m = Pattern.compile("(?m)^CORRECT_REWARD = (\\S+)$").matcher(Files.readString(nb));
        assertTrue(m.find(), nb + " defines no CORRECT_REWARD");
        assertEquals(Correctness.THRESHOLD, Double.parseDouble(m.group(1)));
    }
}
