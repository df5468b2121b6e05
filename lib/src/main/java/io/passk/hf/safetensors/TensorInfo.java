package io.passk.hf.safetensors;

import java.util.List;

/**
 * One header entry: a tensor's name, element type, shape (row-major) and its byte range
 * {@code [begin, end)} relative to the start of the data buffer.
 */
public record TensorInfo(String name, DType dtype, List<Long> shape, long begin, long end) {

    public TensorInfo {
        shape = List.copyOf(shape);
    }

    /** Number of elements: the product of the shape (1 for a scalar, shape {@code []}). */
    public long numel() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes the data range holds. */
    public long byteSize() {
        return end - begin;
    }
}
