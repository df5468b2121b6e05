package io.passk.task;

/**
 * How every verifier reads a free-form response: it first extracts the answer, then checks it as
 * the task says. The answer is
 * <ol>
 *   <li>the text inside the last {@code <answer>…</answer>} pair, pairs found left to right
 *       without overlap, each {@code <answer>} closed by the first {@code </answer>} after it
 *       (what Python's {@code re.findall(r"<answer>(.*?)</answer>", s, re.S)[-1]} gives;
 *       tags are case-sensitive, an unclosed {@code <answer>} is no pair);</li>
 *   <li>else the content of the last {@code \boxed{…}}, read up to its matching brace (braces
 *       inside balance, so {@code \boxed{\frac{1}{2}}} gives {@code \frac{1}{2}}); when the
 *       last {@code \boxed} never closes there is no boxed answer;</li>
 *   <li>else the whole response.</li>
 * </ol>
 * A bare answer (no tag, no {@code \boxed}) is therefore itself, so today's answers verify as
 * before. Total and linear in the response's length: no regular expressions, no recursion.
 */
public final class AnswerExtraction {

    public static final String OPEN = "<answer>";
    public static final String CLOSE = "</answer>";
    public static final String BOXED = "\\boxed{";

    private AnswerExtraction() {
    }

    /** The answer of {@code response} by the rules above; {@code null} stays {@code null}. */
    public static String extract(String response) {
        if (response == null) {
            return null;
        }
        String tagged = lastTagged(response);
        if (tagged != null) {
            return tagged;
        }
        String boxed = lastBoxed(response);
        return boxed != null ? boxed : response;
    }

    /** The content of the last non-overlapping {@code <answer>…</answer>} pair, or null. */
    static String lastTagged(String s) {
        String last = null;
        int from = 0;
        while (true) {
            int open = s.indexOf(OPEN, from);
            if (open < 0) {
                return last;
            }
            int close = s.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                return last;
            }
            last = s.substring(open + OPEN.length(), close);
            from = close + CLOSE.length();
        }
    }

    /** The content of the last {@code \boxed{…}} if its braces close, else null. */
    static String lastBoxed(String s) {
        int at = s.lastIndexOf(BOXED);
        if (at < 0) {
            return null;
        }
        int start = at + BOXED.length();
        int depth = 1;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return s.substring(start, i);
            }
        }
        return null;
    }
}
