package io.passk.tokenizer;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fingerprinting helpers over chat-template source text. */
final class TemplateText {
    /**
     * A newline in a Jinja string literal, written either way: as the two-character escape
     * (Qwen's templates) or as the newline character itself (Meta's Llama 3 templates).
     */
    static final String NEWLINE = "(?:\\\\n|\n)";

    private TemplateText() {
    }

    /**
     * Whether {@code text} contains one of {@code alternatives} literally, where each space in an
     * alternative stands for any run of whitespace (or none) and the escape {@code \\n} for a
     * newline either way it may be written: templates differ in spacing and escaping only.
     */
    static boolean has(String text, String... alternatives) {
        for (String alternative : alternatives) {
            if (loose(alternative).matcher(text).find()) {
                return true;
            }
        }
        return false;
    }

    /** A space matches any whitespace; the escape {@code \\n} also matches a newline written out. */
    static Pattern loose(String literal) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == ' ') {
                regex.append("\\s*");
            } else if (c == '\\' && i + 1 < literal.length() && literal.charAt(i + 1) == 'n') {
                regex.append(NEWLINE);
                i++;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** The distinct first groups of {@code pattern} in {@code text}, in order of appearance. */
    static Set<String> groups(String text, Pattern pattern) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /**
     * The value of a Jinja string literal's body, its backslash escapes for newline, tab, backslash
     * and quotes resolved (a newline written out stays); null for any other escape, which passk
     * does not interpret.
     */
    static String unescape(String body) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i == body.length()) {
                return null;
            }
            switch (body.charAt(i)) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case '\\' -> sb.append('\\');
                case '\'' -> sb.append('\'');
                case '"' -> sb.append('"');
                default -> {
                    return null;
                }
            }
        }
        return sb.toString();
    }

    /**
     * The code of a template: the insides of its {@code {{ }}} and {@code {% %}} tags, one tag a
     * line, with the contents of string literals removed (the quotes stay) and comments left out;
     * so that scans for template features do not match text that the template only prints.
     */
    static String code(String template) {
        StringBuilder code = new StringBuilder();
        int n = template.length();
        int i = 0;
        while (i < n) {
            int open = template.indexOf('{', i);
            if (open < 0 || open + 1 >= n) {
                break;
            }
            char kind = template.charAt(open + 1);
            if (kind == '#') {
                int end = template.indexOf("#}", open + 2);
                i = end < 0 ? n : end + 2;
                continue;
            }
            if (kind != '{' && kind != '%') {
                i = open + 1;
                continue;
            }
            String close = kind == '{' ? "}}" : "%}";
            int j = open + 2;
            while (j < n && !template.startsWith(close, j)) {
                char c = template.charAt(j);
                if (c == '\'' || c == '"') {
                    int k = j + 1;
                    while (k < n && template.charAt(k) != c) {
                        k += template.charAt(k) == '\\' ? 2 : 1;
                    }
                    code.append(c).append(c);
                    j = k + 1;
                } else {
                    code.append(c);
                    j++;
                }
            }
            code.append('\n');
            i = j + 2;
        }
        return code.toString();
    }
}
