package io.passk.advantage;

import io.passk.BadInputException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The advantage estimators of docs/reference.md#advantages-training, by their CLI names. */
public enum AdvantageMethod {
    /** GRPO baseline: {@code (r_i - mean r) / std r}; the k = 1 case of every Pass@k method. */
    PASS1("pass1"),
    /** Disjoint groups of k after a seeded shuffle; group reward = max, normalised over groups. */
    PASSK_FULL("passk-full"),
    /** G seeded k-subsets; a response averages the normalised rewards of its groups. */
    PASSK_BOOTSTRAP("passk-bootstrap"),
    /** Closed form of the paper's Eq. 8-9 for binary rewards. */
    PASSK_ANALYTIC("passk-analytic"),
    /** Closed form for continuous rewards in [0,1] (max@k); reduces to passk-analytic. */
    MAXK_ANALYTIC("maxk-analytic"),
    /** Walder and Karkhanis' unbiased pass@k / max@k gradient weights with leave-one-out baseline. */
    PKPO("pkpo");

    private final String cliName;

    AdvantageMethod(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static AdvantageMethod fromName(String name) {
        for (AdvantageMethod m : values()) {
            if (m.cliName.equalsIgnoreCase(name) || m.name().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new BadInputException("unknown advantage method '" + name + "'; known: "
                + Arrays.stream(values()).map(AdvantageMethod::cliName).collect(Collectors.joining(", ")));
    }

    public static String[] cliNames() {
        return Arrays.stream(values()).map(AdvantageMethod::cliName).toArray(String[]::new);
    }

    @Override
    public String toString() {
        return cliName;
    }
}
