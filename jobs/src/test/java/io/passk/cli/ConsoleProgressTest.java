package io.passk.cli;

import io.passk.progress.EpochEvent;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The command line's epoch line: the numbers of the library's typed event, formatted here. */
class ConsoleProgressTest {

    @Test
    void anEpochWithAHeldoutEvaluationPrintsItsTrainAndHeldoutPassAtKOnOneLine() {
        StringWriter out = new StringWriter();
        new ConsoleProgress(new PrintWriter(out), false).onEpoch(new EpochEvent(1, 6, "passk-analytic", 4, 4, 0.41234,
                0.4, 0.6875, 0.87449, 0.012345, 0.402, 0.655, 12.34));
        assertEquals("epoch 2/6  passk-analytic k=4  reward 0.412  pass@1 0.400  pass@4 0.688  entropy 0.874"
                + "  loss 0.0123  held-out pass@1 0.402 pass@4 0.655  (12.3 s)" + System.lineSeparator(), out.toString());
    }

    @Test
    void anEpochWithoutOneLeavesTheHeldoutPartOutAndShowsThePass1EpochOfASchedule() {
        assertEquals("epoch 9/10  pass1 k=1  reward 0.500  pass@1 0.500  pass@4 0.750  entropy 1.000  loss -0.0010"
                + "  (0.5 s)", ConsoleProgress.epochLine(new EpochEvent(8, 10, "pass1", 1, 4, 0.5, 0.5, 0.75, 1.0,
                -0.001, Double.NaN, Double.NaN, 0.5)));
    }
}
