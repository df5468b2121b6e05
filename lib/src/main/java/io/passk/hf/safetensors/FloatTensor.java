package io.passk.hf.safetensors;

import java.util.Arrays;
import java.util.List;

/**
 * A tensor to write: its shape (row-major) and its values as F32. The array is not copied;
 * the writer narrows it to the file's dtype.
 */
public record FloatTensor(List<Long> shape, float[] values) {

    public FloatTensor {
        shape = List.copyOf(shape);
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + shape);
            }
            n = Math.multiplyExact(n, d);
        }
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + shape + " holds " + n + " values, got " + values.length);
        }
    }

    /** A tensor of the given values and dimensions. */
    public static FloatTensor of(float[] values, long... shape) {
        return new FloatTensor(Arrays.stream(shape).boxed().toList(), values);
    }
}
