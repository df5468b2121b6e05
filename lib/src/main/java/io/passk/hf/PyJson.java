package io.passk.hf;

import io.passk.hf.safetensors.SafetensorsWriter;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON text exactly as Python's {@code json.dumps(obj, indent=..., sort_keys=..., ensure_ascii=...)}
 * writes it, the one imitation of it in passk: PEFT's {@code save_pretrained} writes
 * {@code adapter_config.json} with {@code indent=2, sort_keys=True} (ASCII-escaped, no final line
 * break), and a chat template's {@code tojson} filter calls it with {@code ensure_ascii=False} and
 * an optional indent. Without an indent the separators are {@code ", "} and {@code ": "}; with one,
 * {@code ","} and a line break, each level indented; empty containers are {@code {}} /
 * {@code []}; floats are Python's {@code repr} ({@code 0.0}, {@code 0.05}, {@code 1e-05}), and
 * NaN and the infinities its {@code NaN}, {@code Infinity}, {@code -Infinity}.
 *
 * <p>Values: {@code null}, {@link Boolean}, integral and floating {@link Number}s, {@link String},
 * {@link Iterable}s and arrays, {@link Map}s (keys written as strings); anything else as its
 * {@code toString()}.
 */
public final class PyJson {

    private PyJson() {
    }

    /** {@code json.dumps(value, indent=2, sort_keys=True)}: what PEFT writes. */
    public static String dumpsSorted(Object value) {
        return dumps(value, 2, true, true);
    }

    /**
     * {@code json.dumps(value, indent=indent, sort_keys=sortKeys, ensure_ascii=ensureAscii)}.
     *
     * @param indent null for the compact one-line form
     */
    public static String dumps(Object value, Integer indent, boolean sortKeys, boolean ensureAscii) {
        StringBuilder out = new StringBuilder();
        write(out, value, indent, 0, sortKeys, ensureAscii);
        return out.toString();
    }

    private static void write(StringBuilder out, Object v, Integer indent, int depth, boolean sortKeys,
                              boolean ensureAscii) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof java.math.BigInteger) {
            out.append(v);
        } else if (v instanceof Number n) {
            out.append(floatRepr(n.doubleValue()));
        } else if (v instanceof Map<?, ?> map) {
            Map<String, Object> entries = sortKeys ? new TreeMap<>() : new LinkedHashMap<>();
            map.forEach((k, x) -> entries.put(String.valueOf(k), x));
            container(out, '{', '}', entries.entrySet().iterator(), indent, depth, (e, d) -> {
                Map.Entry<?, ?> entry = (Map.Entry<?, ?>) e;
                out.append(quote((String) entry.getKey(), ensureAscii)).append(": ");
                write(out, entry.getValue(), indent, d, sortKeys, ensureAscii);
            });
        } else if (v instanceof Iterable<?> list) {
            container(out, '[', ']', list.iterator(), indent, depth,
                    (e, d) -> write(out, e, indent, d, sortKeys, ensureAscii));
        } else if (v instanceof Object[] array) {
            container(out, '[', ']', Arrays.asList(array).iterator(), indent, depth,
                    (e, d) -> write(out, e, indent, d, sortKeys, ensureAscii));
        } else {
            out.append(quote(v.toString(), ensureAscii));
        }
    }

    private interface Item {
        void write(Object item, int depth);
    }

    private static void container(StringBuilder out, char open, char close, Iterator<?> items, Integer indent,
                                  int depth, Item item) {
        out.append(open);
        if (!items.hasNext()) {
            out.append(close);
            return;
        }
        boolean first = true;
        while (items.hasNext()) {
            if (!first) {
                out.append(indent == null ? ", " : ",");
            }
            first = false;
            if (indent != null) {
                out.append('\n').append(" ".repeat(indent * (depth + 1)));
            }
            item.write(items.next(), depth + 1);
        }
        if (indent != null) {
            out.append('\n').append(" ".repeat(indent * depth));
        }
        out.append(close);
    }

    /** Python's {@code repr(float)}: shortest digits, scientific below 1e-4 and from 1e16. */
    public static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = b.precision() - b.scale() - 1; // of the leading digit
        if (exponent < -4 || exponent >= 16) {
            String digits = b.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
        }
        String plain = b.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    /** A JSON string with json.dumps' escapes ({@code ensure_ascii}: non-ASCII as {@code \\uXXXX}). */
    public static String quote(String s, boolean ensureAscii) {
        return SafetensorsWriter.pythonJsonString(s, ensureAscii);
    }
}
