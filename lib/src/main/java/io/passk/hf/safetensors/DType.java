package io.passk.hf.safetensors;

import java.util.Arrays;
import java.util.Optional;

/**
 * The element types passk recognises in a safetensors header, with their size in bytes.
 * {@link #F32}, {@link #F16} and {@link #BF16} can be read as {@code float[]}; the others are
 * recognised (so their byte sizes are checked) and can be read as raw bytes only.
 */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** True for the types {@link SafetensorsFile#readFloats} widens to F32 exactly. */
    public boolean readableAsFloat() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** The type spelled as in a safetensors header ("F32", "BF16", ...), if passk knows it. */
    public static Optional<DType> parse(String name) {
        return Arrays.stream(values()).filter(d -> d.name().equals(name)).findFirst();
    }
}
