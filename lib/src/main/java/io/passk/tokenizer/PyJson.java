package io.passk.tokenizer;

import java.util.Iterator;
import java.util.Map;

/**
 * Python's {@code json.dumps(x, ensure_ascii=False, indent=indent)} for the values a chat
 * template sees (strings, numbers, booleans, null, lists, maps): separators {@code ", "} and
 * {@code ": "} without indent, {@code ","} and newline + indent with one.
 */
final class PyJson {
    private PyJson() {
    }

    static String dumps(Object value, Integer indent) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, indent, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, Integer indent, int depth) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            sb.append(v);
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            // Python writes floats with repr: 1.0 stays "1.0"; Java's Double.toString agrees on the common cases
            sb.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
                    : Double.toString(d));
        } else if (v instanceof Map<?, ?> map) {
            container(sb, '{', '}', map.entrySet().iterator(), indent, depth, (e, d) -> {
                Map.Entry<?, ?> entry = (Map.Entry<?, ?>) e;
                string(sb, String.valueOf(entry.getKey()));
                sb.append(": ");
                write(sb, entry.getValue(), indent, d);
            });
        } else if (v instanceof Iterable<?> list) {
            container(sb, '[', ']', list.iterator(), indent, depth, (e, d) -> write(sb, e, indent, d));
        } else if (v instanceof Object[] array) {
            container(sb, '[', ']', java.util.Arrays.asList(array).iterator(), indent, depth,
                    (e, d) -> write(sb, e, indent, d));
        } else {
            string(sb, v.toString());
        }
    }

    private interface Item {
        void write(Object item, int depth);
    }

    private static void container(StringBuilder sb, char open, char close, Iterator<?> items, Integer indent,
                                  int depth, Item item) {
        sb.append(open);
        if (!items.hasNext()) {
            sb.append(close);
            return;
        }
        boolean first = true;
        while (items.hasNext()) {
            if (!first) {
                sb.append(indent == null ? ", " : ",");
            }
            first = false;
            if (indent != null) {
                sb.append('\n').append(" ".repeat(indent * (depth + 1)));
            }
            item.write(items.next(), depth + 1);
        }
        if (indent != null) {
            sb.append('\n').append(" ".repeat(indent * depth));
        }
        sb.append(close);
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
