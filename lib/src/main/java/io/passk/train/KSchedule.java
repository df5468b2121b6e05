package io.passk.train;

import io.passk.settings.InvalidSettingException;
import io.passk.settings.TrainSettings;

import java.util.Locale;

/**
 * How k changes with the epoch (docs/reference.md#schedules-and-mixes). Where k reaches 1 the epoch trains
 * with Pass@1 ({@link #isPass1}).
 * <ul>
 *   <li>{@code constant}: k every epoch;</li>
 *   <li>{@code linear}: k decays linearly from k at epoch 0 to 1 at the last epoch;</li>
 *   <li>{@code step:S}: k halves every S epochs, down to 1;</li>
 *   <li>{@code switch:E}: Pass@k for epochs {@code < E}, then Pass@1 (the paper's transfer).</li>
 * </ul>
 */
public record KSchedule(Kind kind, int k, int epochs, int parameter) {

    public enum Kind { CONSTANT, LINEAR, STEP, SWITCH }

    public KSchedule {
        if (k < 1) {
            throw InvalidSettingException.of(TrainSettings.K, "must be >= 1, got " + k);
        }
        if (kind == Kind.STEP && parameter < 1) {
            throw InvalidSettingException.of(TrainSettings.SCHEDULE, "step:S needs S >= 1, got " + parameter);
        }
        if (kind == Kind.SWITCH && parameter < 0) {
            throw InvalidSettingException.of(TrainSettings.SCHEDULE, "switch:E needs E >= 0, got " + parameter);
        }
    }

    /** Parses {@code constant | linear | step:S | switch:E}. */
    public static KSchedule parse(String spec, int k, int epochs) {
        String s = spec == null ? "constant" : spec.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.equals("constant")) {
                return new KSchedule(Kind.CONSTANT, k, epochs, 0);
            }
            if (s.equals("linear")) {
                return new KSchedule(Kind.LINEAR, k, epochs, 0);
            }
            if (s.startsWith("step:")) {
                return new KSchedule(Kind.STEP, k, epochs, Integer.parseInt(s.substring(5)));
            }
            if (s.startsWith("switch:")) {
                return new KSchedule(Kind.SWITCH, k, epochs, Integer.parseInt(s.substring(7)));
            }
        } catch (NumberFormatException e) {
            throw InvalidSettingException.of(TrainSettings.SCHEDULE, "'" + spec + "': the number after ':' is not an integer");
        }
        throw InvalidSettingException.of(TrainSettings.SCHEDULE, "'" + spec + "' is not one of constant, linear, step:S, switch:E");
    }

    /** k at an epoch (0-based). */
    public int kAt(int epoch) {
        return switch (kind) {
            case CONSTANT -> k;
            case LINEAR -> epochs <= 1 ? k
                    : (int) Math.max(1, Math.round(k - (k - 1) * (double) epoch / (epochs - 1)));
            case STEP -> Math.max(1, k >> Math.min(30, epoch / parameter));
            case SWITCH -> epoch < parameter ? k : 1;
        };
    }

    /** Whether the epoch trains with plain Pass@1 advantages. */
    public boolean isPass1(int epoch) {
        return kAt(epoch) == 1;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CONSTANT -> "constant";
            case LINEAR -> "linear";
            case STEP -> "step:" + parameter;
            case SWITCH -> "switch:" + parameter;
        };
    }
}
