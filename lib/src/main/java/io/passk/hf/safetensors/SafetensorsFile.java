package io.passk.hf.safetensors;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.passk.BadInputException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One safetensors file, open for reading. {@link #open} reads and checks the header only;
 * tensor values are memory-mapped when read ({@link FileChannel#map}), one window of at most
 * {@link #WINDOW_BYTES} at a time, so files and tensors over 2 GiB read without a heap copy
 * of the file.
 *
 * <p>Checks, as Hugging Face's own reader makes them (each a {@link BadInputException} naming
 * the file and, where there is one, the tensor): the file holds the 8-byte length and the
 * header it announces (at most {@link #MAX_HEADER_BYTES}); the header is UTF-8 JSON starting
 * with '{', without duplicate names; every dtype is known; every shape times its dtype's size
 * equals its byte range; no range runs past the end of the file (truncation); and the ranges,
 * sorted, tile the data buffer exactly: no overlap, no hole, no trailing bytes (the format
 * forbids holes so that a file cannot hide a second payload).
 *
 * <p>Reads may run concurrently (each maps its own window); {@link #close} ends them all.
 */
public final class SafetensorsFile implements TensorSource {

    /** Hugging Face's limit on the JSON header, against files that would exhaust memory. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** Largest mapping made at once (a MappedByteBuffer holds at most 2^31 - 1 bytes). */
    static final int WINDOW_BYTES = 1 << 30;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, String> metadata;
    private final TreeMap<String, TensorInfo> tensors;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, String> metadata,
                            TreeMap<String, TensorInfo> tensors) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.metadata = metadata;
        this.tensors = tensors;
    }

    /** Opens a file and checks its header against the file's size. */
    public static SafetensorsFile open(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new BadInputException(path + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(path + ": cannot be read: " + e.getMessage(), e);
        }
        try {
            SafetensorsFile file = parse(path, channel);
            channel = null; // now owned by the file
            return file;
        } catch (IOException e) {
            throw new BadInputException(path + ": cannot be read: " + e.getMessage(), e);
        } finally {
            if (channel != null) {
                closeQuietly(channel);
            }
        }
    }

    private static SafetensorsFile parse(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw bad(path, "truncated: " + size + " bytes, shorter than the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long n = lengthBytes.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw bad(path, "header length " + Long.toUnsignedString(n) + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
        }
        if (8 + n > size) {
            throw bad(path, "header length " + n + " runs past the end of the file (" + size
                    + " bytes): truncated or not a safetensors file");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
        readFully(channel, headerBytes, 8);
        String header;
        try {
            header = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(headerBytes.flip()).toString();
        } catch (CharacterCodingException e) {
            throw bad(path, "header is not valid UTF-8");
        }
        if (!header.startsWith("{")) {
            throw bad(path, "header does not start with '{' (not a safetensors file?)");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        TreeMap<String, TensorInfo> tensors = new TreeMap<>();
        try {
            readHeader(path, header, metadata, tensors);
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            // Gson reports malformed JSON as IOException (MalformedJsonException) or IllegalStateException
            throw bad(path, "header is not valid safetensors JSON: " + JsonErrors.oneLine(e));
        }
        long dataSize = size - 8 - n;
        checkLayout(path, tensors.values(), dataSize);
        return new SafetensorsFile(path, channel, 8 + n, Collections.unmodifiableMap(metadata), tensors);
    }

    private static void readHeader(Path path, String header, Map<String, String> metadata,
                                   Map<String, TensorInfo> tensors) throws IOException {
        JsonReader json = new JsonReader(new StringReader(header));
        json.setStrictness(Strictness.STRICT);
        json.beginObject();
        boolean sawMetadata = false;
        while (json.hasNext()) {
            String name = json.nextName();
            if (name.equals("__metadata__")) {
                if (sawMetadata) {
                    throw bad(path, "header has two __metadata__ entries");
                }
                sawMetadata = true;
                readMetadata(path, json, metadata);
            } else {
                if (tensors.containsKey(name)) {
                    throw bad(path, "tensor '" + name + "' appears twice in the header");
                }
                tensors.put(name, readTensor(path, name, json));
            }
        }
        json.endObject();
        if (json.peek() != JsonToken.END_DOCUMENT) {
            throw bad(path, "header has content after its JSON object");
        }
    }

    private static void readMetadata(Path path, JsonReader json, Map<String, String> metadata) throws IOException {
        if (json.peek() == JsonToken.NULL) {
            json.nextNull();
            return;
        }
        json.beginObject();
        while (json.hasNext()) {
            String key = json.nextName();
            if (json.peek() != JsonToken.STRING) {
                throw bad(path, "__metadata__ value of '" + key + "' is not a string");
            }
            metadata.put(key, json.nextString());
        }
        json.endObject();
    }

    private static TensorInfo readTensor(Path path, String name, JsonReader json) throws IOException {
        String where = "tensor '" + name + "'";
        DType dtype = null;
        List<Long> shape = null;
        List<Long> offsets = null;
        json.beginObject();
        while (json.hasNext()) {
            switch (json.nextName()) {
                case "dtype" -> {
                    if (json.peek() != JsonToken.STRING) {
                        throw bad(path, where + ": dtype is not a string");
                    }
                    String d = json.nextString();
                    dtype = DType.parse(d).orElseThrow(() -> bad(path, where + ": unknown dtype '" + d
                            + "' (passk reads F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL)"));
                }
                case "shape" -> shape = readLongs(path, where + ": shape", json);
                case "data_offsets" -> offsets = readLongs(path, where + ": data_offsets", json);
                default -> json.skipValue(); // unknown keys are ignored, as Hugging Face's reader does
            }
        }
        json.endObject();
        if (dtype == null || shape == null || offsets == null) {
            throw bad(path, where + ": needs dtype, shape and data_offsets");
        }
        if (offsets.size() != 2) {
            throw bad(path, where + ": data_offsets " + offsets + " is not [begin, end]");
        }
        long begin = offsets.get(0);
        long end = offsets.get(1);
        if (end < begin) {
            throw bad(path, where + ": data_offsets " + offsets + " end before they begin");
        }
        TensorInfo info = new TensorInfo(name, dtype, shape, begin, end);
        long bytes;
        try {
            bytes = Math.multiplyExact(info.numel(), dtype.bytes());
        } catch (ArithmeticException e) {
            throw bad(path, where + ": shape " + shape + " overflows");
        }
        if (bytes != info.byteSize()) {
            throw bad(path, where + ": shape " + shape + " of " + dtype + " needs " + bytes
                    + " bytes but data_offsets " + offsets + " hold " + info.byteSize());
        }
        return info;
    }

    private static List<Long> readLongs(Path path, String where, JsonReader json) throws IOException {
        if (json.peek() != JsonToken.BEGIN_ARRAY) {
            throw bad(path, where + " is not an array");
        }
        List<Long> values = new ArrayList<>();
        json.beginArray();
        while (json.hasNext()) {
            String text = json.peek() == JsonToken.NUMBER ? json.nextString() : null;
            long v;
            try {
                v = text == null ? -1 : Long.parseLong(text);
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (v < 0) {
                throw bad(path, where + " holds " + (text == null ? "a non-number" : text)
                        + ", not a non-negative integer");
            }
            values.add(v);
        }
        json.endArray();
        return values;
    }

    /** The sorted byte ranges must tile [0, dataSize) exactly. */
    private static void checkLayout(Path path, Iterable<TensorInfo> infos, long dataSize) {
        List<TensorInfo> byOffset = new ArrayList<>();
        for (TensorInfo info : infos) {
            if (info.end() > dataSize) {
                throw bad(path, "tensor '" + info.name() + "': data_offsets [" + info.begin() + ", " + info.end()
                        + "] run past the end of the data buffer (" + dataSize + " bytes): truncated file?");
            }
            byOffset.add(info);
        }
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo info : byOffset) {
            if (info.begin() < covered) {
                throw bad(path, "tensor '" + info.name() + "': data_offsets [" + info.begin() + ", " + info.end()
                        + "] overlap tensor '" + previous.name() + "' [" + previous.begin() + ", " + previous.end() + "]");
            }
            if (info.begin() > covered) {
                throw bad(path, "tensor '" + info.name() + "': data_offsets begin at " + info.begin()
                        + ", leaving bytes [" + covered + ", " + info.begin() + ") of the data buffer unused"
                        + " (safetensors forbids holes)");
            }
            covered = info.end();
            previous = info;
        }
        if (covered != dataSize) {
            throw bad(path, (dataSize - covered) + " bytes after the last tensor's data belong to no tensor"
                    + " (safetensors forbids trailing data)");
        }
    }

    public Path path() {
        return path;
    }

    /** The header's {@code __metadata__} (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(tensors.keySet()));
    }

    @Override
    public Optional<TensorInfo> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    @Override
    public Path fileOf(String name) {
        return path;
    }

    /** The header entry of a tensor; bad input when the file has none of that name. */
    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw bad(path, "no tensor '" + name + "'");
        }
        return info;
    }

    /** {@inheritDoc} Weights must be finite: a NaN or infinity is refused naming the file, tensor and element. */
    @Override
    public float[] readFloats(String name) {
        return readFloats(name, WINDOW_BYTES, true);
    }

    /**
     * The tensor's values widened to F32 exactly as stored, NaN and infinities included: the
     * file format's own reading (its tests compare widening bit for bit with numpy's). Weights
     * are read with {@link #readFloats}, which refuses non-finite values.
     */
    public float[] widen(String name) {
        return readFloats(name, WINDOW_BYTES, false);
    }

    /** {@link #readFloats(String)} mapping at most {@code windowBytes} (a multiple of 8) at a time. */
    float[] readFloats(String name, int windowBytes) {
        return readFloats(name, windowBytes, true);
    }

    private float[] readFloats(String name, int windowBytes, boolean finite) {
        TensorInfo info = info(name);
        if (!info.dtype().readableAsFloat()) {
            throw bad(path, "tensor '" + name + "' is " + info.dtype() + "; passk reads F32, F16 and BF16 as floats");
        }
        if (info.numel() > Integer.MAX_VALUE - 8) {
            throw bad(path, "tensor '" + name + "' has " + info.numel() + " elements, more than one Java array holds");
        }
        float[] out = new float[(int) info.numel()];
        int size = info.dtype().bytes();
        int done = 0;
        for (long pos = 0; pos < info.byteSize(); ) {
            int window = (int) Math.min(info.byteSize() - pos, windowBytes);
            ByteBuffer bytes = map(info.begin() + pos, window);
            int count = window / size;
            if (info.dtype() == DType.F32) {
                bytes.asFloatBuffer().get(out, done, count);
            } else {
                boolean bf16 = info.dtype() == DType.BF16;
                for (int i = 0; i < count; i++) {
                    short bits = bytes.getShort(2 * i);
                    out[done + i] = bf16 ? HalfFloats.bf16ToFloat(bits) : HalfFloats.f16ToFloat(bits);
                }
            }
            if (finite) {
                checkFinite(name, out, done, count);
            }
            done += count;
            pos += window;
        }
        return out;
    }

    /**
     * Weights that are NaN or infinite make every later number meaningless (logits, losses, a
     * merged model), so they are refused as they are widened, naming the file, tensor and element.
     */
    private void checkFinite(String name, float[] values, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (!Float.isFinite(values[i])) {
                throw bad(path, "tensor '" + name + "' holds " + values[i] + " at element " + i
                        + "; weights must be finite numbers");
            }
        }
    }

    /**
     * The raw little-endian bytes of a tensor of any dtype, memory-mapped read-only.
     *
     * @throws BadInputException when the tensor is over 2 GiB (read it with {@link #readFloats})
     */
    public ByteBuffer readBytes(String name) {
        TensorInfo info = info(name);
        if (info.byteSize() > Integer.MAX_VALUE) {
            throw bad(path, "tensor '" + name + "' has " + info.byteSize() + " bytes, more than one buffer maps");
        }
        return map(info.begin(), (int) info.byteSize());
    }

    private ByteBuffer map(long offset, int length) {
        if (length == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        try {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + offset, length);
            return mapped.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot map bytes at " + (dataStart + offset), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            int n = channel.read(into, position + into.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written through it
        }
    }

    private static BadInputException bad(Path path, String message) {
        return new BadInputException(path + ": " + message);
    }
}
