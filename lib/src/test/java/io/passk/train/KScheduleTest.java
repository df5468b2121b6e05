package io.passk.train;

import io.passk.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KScheduleTest {

    static int[] ks(KSchedule s, int epochs) {
        return IntStream.range(0, epochs).map(s::kAt).toArray();
    }

    @Test
    void constantKeepsK() {
        assertArrayEquals(new int[]{8, 8, 8}, ks(KSchedule.parse("constant", 8, 3), 3));
    }

    @Test
    void linearDecaysFromKToOneAtTheLastEpoch() {
        assertArrayEquals(new int[]{8, 7, 6, 5, 3, 2, 1}, ks(KSchedule.parse("linear", 8, 7), 7));
    }

    @Test
    void stepHalvesEverySEpochsDownToOne() {
        assertArrayEquals(new int[]{8, 8, 4, 4, 2, 2, 1, 1, 1}, ks(KSchedule.parse("step:2", 8, 9), 9));
    }

    @Test
    void switchTrainsPassKThenPass1() {
        KSchedule s = KSchedule.parse("switch:3", 4, 5);
        assertArrayEquals(new int[]{4, 4, 4, 1, 1}, ks(s, 5));
        assertTrue(s.isPass1(3) && !s.isPass1(2));
    }

    @Test
    void malformedScheduleIsRefusedNamingTheForms() {
        BadInputException e = assertThrows(BadInputException.class, () -> KSchedule.parse("cosine", 4, 5));
        assertTrue(e.getMessage().contains("switch:E"), e.getMessage());
        assertThrows(BadInputException.class, () -> KSchedule.parse("step:x", 4, 5));
        assertThrows(BadInputException.class, () -> KSchedule.parse("step:0", 4, 5));
    }
}
