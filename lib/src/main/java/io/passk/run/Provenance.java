package io.passk.run;

import org.apache.spark.sql.SparkSession;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /** The versions a result depends on, recorded in every run.json. */
    public static Map<String, Object> versions(SparkSession spark) {
        return versions(spark.version());
    }

    /** {@link #versions(SparkSession)} without a session (the eval's local engine). */
    public static Map<String, Object> versions(String sparkVersion) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("passk", passkVersion());
        v.put("spark", sparkVersion);
        v.put("scala", scala.util.Properties.versionNumberString());
        v.put("java", System.getProperty("java.version"));
        v.put("java_vendor", System.getProperty("java.vendor"));
        v.put("djl", djlVersion());
        return v;
    }

    /**
     * DJL's version, read from the properties file {@code Engine.getDjlVersion()} reads, without
     * loading DJL's engine classes (the eval does not use DJL; loading it costs start-up time).
     */
    static String djlVersion() {
        try (InputStream in = Provenance.class.getResourceAsStream("/ai/djl/engine/api.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("djl_version", "unknown");
            }
        } catch (Exception ignored) {
            // fall through
        }
        return "unknown";
    }
}
