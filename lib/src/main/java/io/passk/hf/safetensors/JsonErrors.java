package io.passk.hf.safetensors;

/** Gson's parse errors as one line without its advice to parse leniently (passk's JSON is strict). */
public final class JsonErrors {

    private JsonErrors() {
    }

    /** "at line 1 column 71 path $.w.dtype"-style text of a Gson exception, on one line. */
    public static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int advice = m.indexOf("\nSee https://");
        if (advice >= 0) {
            m = m.substring(0, advice);
        }
        m = m.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON ", "malformed JSON ");
        return m.replaceAll("\\s+", " ").trim();
    }
}
