package io.passk.settings;

import java.util.Locale;

/**
 * Settings of the DJL engine under the policy. {@link #DJL_OFFLINE} is DJL's
 * {@code ai.djl.offline}: on (the default of the launcher, the notebooks and the tests) DJL uses
 * only the PyTorch natives on the classpath and never downloads; off lets a machine with network
 * access fetch natives that are not on Maven Central (the CUDA 12.8 build a GPU cluster needs
 * with DJL 0.36). The launcher takes it from {@code PASSK_DJL_OFFLINE}; the driver's value goes
 * with every rollout task to executors whose JVM was started without one.
 */
public final class EngineSettings {

    static final String ENGINE = "engine";

    /** DJL's {@code ai.djl.offline}: true = never download natives. */
    public static final Setting<Boolean> DJL_OFFLINE = new Setting<>("djl_offline", ENGINE, true);
    /** The JVM system property DJL reads. */
    public static final String PROPERTY = "ai.djl.offline";
    /** The launcher's environment variable. */
    public static final String ENV = "PASSK_DJL_OFFLINE";

    private EngineSettings() {
    }

    /** This JVM's value: the system property when set, else the default (on). */
    public static boolean djlOffline() {
        String v = System.getProperty(PROPERTY);
        return v == null ? DJL_OFFLINE.defaultValue() : parse(v);
    }

    /** {@code true} or {@code false} (any case); anything else names the setting. */
    public static boolean parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw InvalidSettingException.of(DJL_OFFLINE, "must be true or false, got '" + value + "'");
    }

    /**
     * Sets the property to {@code offline} in a JVM started without it, before DJL first loads
     * its engine (a value given on the JVM's command line wins); returns the value in force.
     */
    public static synchronized boolean applyIfUnset(boolean offline) {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, Boolean.toString(offline));
        }
        return djlOffline();
    }
}
