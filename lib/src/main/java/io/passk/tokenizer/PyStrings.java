package io.passk.tokenizer;

/**
 * Python's {@code str.strip()} (what Jinja's {@code trim} filter and the templates' {@code .strip()}
 * call): Java's {@code String.strip()} disagrees on some characters, e.g. U+00A0 and U+0085, which
 * Python strips and {@code Character.isWhitespace} does not.
 */
final class PyStrings {
    private PyStrings() {
    }

    /** Python's {@code str.isspace()} for one code point: category Zs, or bidi class WS, B or S. */
    static boolean isSpace(int c) {
        if (Character.getType(c) == Character.SPACE_SEPARATOR) {
            return true;
        }
        byte bidi = Character.getDirectionality(c);
        return bidi == Character.DIRECTIONALITY_WHITESPACE || bidi == Character.DIRECTIONALITY_PARAGRAPH_SEPARATOR
                || bidi == Character.DIRECTIONALITY_SEGMENT_SEPARATOR;
    }

    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && isSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }
}
