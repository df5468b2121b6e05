package io.passk.advantage;

import io.passk.BadInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceAdvantagesTest {

    @Test
    void fewerRolloutsThanKIsRefusedNamingTheProblem() {
        AdvantageSpec spec = AdvantageSpec.of(AdvantageMethod.PASSK_ANALYTIC, 4);
        BadInputException e = assertThrows(BadInputException.class,
                () -> ReferenceAdvantages.compute(spec, "maze-17", new int[]{0, 1, 2}, new double[]{1, 0, 0}));
        assertTrue(e.getMessage().contains("maze-17") && e.getMessage().contains("n=3"), e.getMessage());
    }

    @Test
    void nanOrOutOfRangeRewardIsRefused() {
        AdvantageSpec spec = AdvantageSpec.of(AdvantageMethod.PASS1, 1);
        assertThrows(BadInputException.class,
                () -> ReferenceAdvantages.compute(spec, "p", new int[]{0, 1}, new double[]{Double.NaN, 0}));
        assertThrows(BadInputException.class,
                () -> ReferenceAdvantages.compute(spec, "p", new int[]{0, 1}, new double[]{1.5, 0}));
        assertThrows(BadInputException.class,
                () -> ReferenceAdvantages.compute(spec, "p", new int[]{0, 0}, new double[]{1, 0}));
    }

    @Test
    void resultDoesNotDependOnInputOrder() {
        double[] r = {0.0, 1.0, 0.3, 1.0, 0.0, 0.9, 0.2, 1.0};
        int[] idx = {0, 1, 2, 3, 4, 5, 6, 7};
        double[] rRev = new double[8];
        int[] idxRev = new int[8];
        for (int i = 0; i < 8; i++) {
            rRev[i] = r[7 - i];
            idxRev[i] = idx[7 - i];
        }
        for (AdvantageMethod m : AdvantageMethod.values()) {
            AdvantageSpec spec = new AdvantageSpec(m, m == AdvantageMethod.PASS1 ? 1 : 3, 5, 2, 0, BootstrapReduce.MEAN);
            double[] a = ReferenceAdvantages.compute(spec, "p", idx, r);
            double[] b = ReferenceAdvantages.compute(spec, "p", idxRev, rRev);
            for (int i = 0; i < 8; i++) {
                assertArrayEquals(new double[]{a[i]}, new double[]{b[7 - i]}, 1e-15, m + " i=" + i);
            }
        }
    }

    @Test
    void unknownMethodNameListsTheKnownOnes() {
        BadInputException e = assertThrows(BadInputException.class, () -> AdvantageMethod.fromName("passk-magic"));
        assertTrue(e.getMessage().contains("passk-analytic"), e.getMessage());
    }
}
