package io.passk.eval;

import java.io.InputStream;
import java.util.Properties;

/** Versions recorded next to outputs. */
public final class Provenance {

    private Provenance() {
    }

    /** passk's version from the lib jar's Maven metadata ("dev" when run from classes). */
    public static String passkVersion() {
        try (InputStream in = Provenance.class.getResourceAsStream(
                "/META-INF/maven/io.passk/passk-lib/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (Exception ignored) {
            // fall through
        }
        return "dev";
    }
}
