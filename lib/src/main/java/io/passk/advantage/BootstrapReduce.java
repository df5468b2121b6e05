package io.passk.advantage;

/**
 * How passk-bootstrap combines the normalised rewards of the groups that contain a response.
 * {@code MEAN} (default) keeps every method on one scale; {@code SUM} reproduces the paper's
 * released code, whose advantages are about k times larger.
 */
public enum BootstrapReduce {
    MEAN, SUM;

    public static BootstrapReduce fromName(String name) {
        return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
