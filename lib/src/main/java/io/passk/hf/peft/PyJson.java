package io.passk.hf.peft;

import io.passk.hf.safetensors.SafetensorsWriter;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON text exactly as Python's {@code json.dumps(obj, indent=2, sort_keys=True)} writes it
 * (PEFT's {@code save_pretrained} writes {@code adapter_config.json} so, without a final line
 * break): keys sorted, two-space indentation, {@code ": "} after keys, empty containers as
 * {@code {}} / {@code []}, non-ASCII characters escaped ({@code ensure_ascii}), floats in
 * Python's {@code repr} ({@code 0.0}, {@code 0.05}, {@code 1e-05}).
 *
 * <p>Values: {@code null}, {@link Boolean}, {@link Integer}, {@link Long}, {@link Double} (a
 * Python float), {@link String}, {@link List}, {@link Map} with string keys.
 */
final class PyJson {

    private PyJson() {
    }

    static String dumps(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object v, int depth) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (v instanceof Integer || v instanceof Long) {
            out.append(v);
        } else if (v instanceof Double d) {
            out.append(floatRepr(d));
        } else if (v instanceof String s) {
            out.append(quote(s));
        } else if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            String sep = "\n";
            for (Object item : list) {
                out.append(sep).append("  ".repeat(depth + 1));
                write(out, item, depth + 1);
                sep = ",\n";
            }
            out.append('\n').append("  ".repeat(depth)).append(']');
        } else if (v instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            String sep = "\n";
            for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
                out.append(sep).append("  ".repeat(depth + 1)).append(quote((String) e.getKey())).append(": ");
                write(out, e.getValue(), depth + 1);
                sep = ",\n";
            }
            out.append('\n').append("  ".repeat(depth)).append('}');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass());
        }
    }

    /** Python's {@code repr(float)}: shortest digits, scientific below 1e-4 and from 1e16. */
    static String floatRepr(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("JSON has no " + d);
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

    /** A JSON string with json.dumps' default escapes ({@code ensure_ascii=True}). */
    static String quote(String s) {
        return SafetensorsWriter.pythonJsonString(s, true);
    }
}
