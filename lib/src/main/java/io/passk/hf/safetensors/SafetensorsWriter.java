package io.passk.hf.safetensors;

import io.passk.BadInputException;
import io.passk.fs.AtomicOutput;
import io.passk.progress.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes safetensors files that are a function of their content alone: tensors in name order
 * (header and data alike), {@code __metadata__} first with its keys sorted, compact JSON
 * ({@code {"dtype":..,"shape":..,"data_offsets":..}}), the header padded with spaces to a
 * multiple of 8 bytes as Hugging Face pads it. Every tensor of one file has the same dtype, so
 * each tensor's data starts aligned to its element size. A file appears complete or not at all:
 * it is written to a hidden sibling, forced to disk, then renamed over the target.
 */
public final class SafetensorsWriter {

    /** What {@code transformers} writes and checks in {@code save_pretrained}. */
    public static final Map<String, String> PT_METADATA = Map.of("format", "pt");
    /** Bytes converted and written per chunk. */
    private static final int CHUNK_BYTES = 1 << 20;

    private SafetensorsWriter() {
    }

    /** Writes {@code tensors} as F32 with {@link #PT_METADATA}. */
    public static void write(Path file, Map<String, FloatTensor> tensors) {
        write(file, tensors, DType.F32, PT_METADATA);
    }

    /**
     * Writes {@code tensors} narrowed to {@code dtype} (F32, BF16 or F16; the 16-bit types round
     * to nearest even, see {@link HalfFloats}).
     */
    public static void write(Path file, Map<String, FloatTensor> tensors, DType dtype, Map<String, String> metadata) {
        if (!dtype.readableAsFloat()) {
            throw new IllegalArgumentException("passk writes F32, BF16 or F16, not " + dtype);
        }
        TreeMap<String, FloatTensor> sorted = new TreeMap<>(tensors);
        byte[] header = header(sorted, dtype, metadata);
        atomically(file, out -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            writeFully(out, length.flip());
            writeFully(out, ByteBuffer.wrap(header));
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (FloatTensor t : sorted.values()) {
                writeValues(out, chunk, t.values(), dtype);
            }
        });
    }

    /** What fills a file's content. */
    interface Content {
        void writeTo(FileChannel out) throws IOException;
    }

    /**
     * Writes {@code file} through {@link AtomicOutput} (a hidden sibling, forced to disk, then
     * renamed over it), so the file appears complete or not at all.
     */
    static void atomically(Path file, Content content) {
        try (AtomicOutput output = AtomicOutput.beginFile(file, ProgressListener.SILENT)) {
            try (FileChannel out = FileChannel.open(output.localDir(), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                content.writeTo(out);
                out.force(true);
            }
            output.commit();
        } catch (IOException | UncheckedIOException e) {
            throw new BadInputException(file + ": cannot be written: " + e, e);
        }
    }

    /** The padded JSON header of {@code tensors} (sorted by name) stored contiguously as {@code dtype}. */
    static byte[] header(TreeMap<String, FloatTensor> tensors, DType dtype, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        List<String> entries = new ArrayList<>();
        if (!metadata.isEmpty()) {
            StringBuilder meta = new StringBuilder("\"__metadata__\":{");
            List<String> pairs = new ArrayList<>();
            new TreeMap<>(metadata).forEach((k, v) -> pairs.add(quote(k) + ":" + quote(v)));
            entries.add(meta.append(String.join(",", pairs)).append('}').toString());
        }
        long offset = 0;
        for (Map.Entry<String, FloatTensor> e : tensors.entrySet()) {
            long bytes = Math.multiplyExact((long) e.getValue().values().length, dtype.bytes());
            List<String> dims = e.getValue().shape().stream().map(String::valueOf).toList();
            entries.add(quote(e.getKey()) + ":{\"dtype\":\"" + dtype + "\",\"shape\":[" + String.join(",", dims)
                    + "],\"data_offsets\":[" + offset + "," + (offset + bytes) + "]}");
            offset += bytes;
        }
        json.append(String.join(",", entries)).append('}');
        byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(text, 0, header, 0, text.length);
        Arrays.fill(header, text.length, padded, (byte) ' ');
        return header;
    }

    /** A JSON string, escaped as Python's json.dumps(ensure_ascii=False) escapes it. */
    static String quote(String s) {
        return pythonJsonString(s, false);
    }

    /**
     * A JSON string escaped as Python's {@code json.dumps} escapes it: quote, backslash and the
     * short escapes, other control characters as {@code \\uXXXX}, and with {@code ensureAscii}
     * everything outside space..tilde too (UTF-16 units, so a character beyond the BMP becomes
     * its surrogate pair, as in Python).
     */
    public static String pythonJsonString(String s, boolean ensureAscii) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static void writeValues(FileChannel out, ByteBuffer chunk, float[] values, DType dtype) throws IOException {
        int perChunk = CHUNK_BYTES / dtype.bytes();
        for (int from = 0; from < values.length; from += perChunk) {
            int to = Math.min(values.length, from + perChunk);
            chunk.clear();
            for (int i = from; i < to; i++) {
                switch (dtype) {
                    case F32 -> chunk.putFloat(values[i]);
                    case BF16 -> chunk.putShort(HalfFloats.floatToBf16(values[i]));
                    case F16 -> chunk.putShort(HalfFloats.floatToF16(values[i]));
                    default -> throw new IllegalStateException(dtype.toString());
                }
            }
            writeFully(out, chunk.flip());
        }
    }

    static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }
}
