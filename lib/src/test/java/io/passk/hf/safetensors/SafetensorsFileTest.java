package io.passk.hf.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.passk.BadInputException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

    @TempDir
    Path dir;

    static Map<String, FloatTensor> sample() {
        Map<String, FloatTensor> t = new LinkedHashMap<>();
        t.put("w", FloatTensor.of(new float[] {1f, -2.5f, 3.25f, 0f, 1e-3f, -7f}, 2, 3));
        t.put("b", FloatTensor.of(new float[] {0.5f, Float.NaN, Float.NEGATIVE_INFINITY}, 3));
        t.put("scalar", FloatTensor.of(new float[] {42f}));
        t.put("empty", FloatTensor.of(new float[0], 0, 4));
        return t;
    }

    @Test
    void writtenF32FileReadsBackNamesShapesValuesAndMetadata() {
        Path file = dir.resolve("a.safetensors");
        SafetensorsWriter.write(file, sample());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.of("b", "empty", "scalar", "w"), List.copyOf(f.names()));
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertEquals(List.of(2L, 3L), f.info("w").shape());
            assertEquals(DType.F32, f.info("w").dtype());
            assertEquals(List.of(), f.info("scalar").shape());
            assertArrayEquals(sample().get("w").values(), f.readFloats("w"));
            assertArrayEquals(sample().get("b").values(), f.widen("b"));
            assertThrows(BadInputException.class, () -> f.readFloats("b"), "not as weights");
            assertArrayEquals(new float[] {42f}, f.readFloats("scalar"));
            assertEquals(0, f.readFloats("empty").length);
        }
    }

    @Test
    void nonFiniteWeightsAreRefusedAsTheyAreWidenedNamingFileTensorAndElement() {
        for (DType dtype : List.of(DType.F32, DType.BF16, DType.F16)) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                Path file = dir.resolve("nan-" + dtype + ".safetensors");
                Map<String, FloatTensor> t = new LinkedHashMap<>();
                t.put("fine", FloatTensor.of(new float[] {1, 2}, 2));
                t.put("w", FloatTensor.of(new float[] {0.5f, 1, 2, bad}, 2, 2));
                SafetensorsWriter.write(file, t, dtype, Map.of());
                try (SafetensorsFile f = SafetensorsFile.open(file)) {
                    assertArrayEquals(new float[] {1, 2}, f.readFloats("fine"));
                    BadInputException e = assertThrows(BadInputException.class, () -> f.readFloats("w"));
                    assertMessage(e, file, "tensor 'w' holds " + bad + " at element 3", "finite");
                    // a window boundary inside the tensor: the element index counts from the tensor's start
                    assertThrows(BadInputException.class, () -> f.readFloats("w", 8));
                }
            }
        }
    }

    @Test
    void headerIsCompactSortedAndPaddedToEightBytes() throws IOException {
        Path file = dir.resolve("h.safetensors");
        Map<String, FloatTensor> t = new LinkedHashMap<>();
        t.put("z", FloatTensor.of(new float[] {1f}, 1));
        t.put("a", FloatTensor.of(new float[] {1f, 2f}, 2));
        SafetensorsWriter.write(file, t, DType.BF16, Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"z\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]}}", header.stripTrailing());
        assertEquals(8 + n + 6, bytes.length);
        // BF16 of 1.0 is 0x3F80, little-endian
        assertEquals((byte) 0x80, bytes[(int) (8 + n)]);
        assertEquals((byte) 0x3f, bytes[(int) (8 + n + 1)]);
    }

    @Test
    void saveLoadSaveIsByteIdenticalInEveryWrittenDtype() throws IOException {
        Random rng = new Random(11);
        float[] values = new float[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(12) - 6));
        }
        values[0] = Float.NaN;
        values[1] = Float.POSITIVE_INFINITY;
        values[2] = 1e-7f; // F16 subnormal
        values[3] = -0f;
        Map<String, FloatTensor> t = Map.of("x", FloatTensor.of(values, 10, 100), "y", FloatTensor.of(new float[] {3f}, 1));
        for (DType dtype : List.of(DType.F32, DType.BF16, DType.F16)) {
            Path first = dir.resolve("first-" + dtype + ".safetensors");
            Path second = dir.resolve("second-" + dtype + ".safetensors");
            SafetensorsWriter.write(first, t, dtype, SafetensorsWriter.PT_METADATA);
            Map<String, FloatTensor> loaded = new LinkedHashMap<>();
            try (SafetensorsFile f = SafetensorsFile.open(first)) {
                assertEquals(dtype, f.info("x").dtype());
                for (String name : f.names()) {
                    loaded.put(name, new FloatTensor(f.info(name).shape(), f.widen(name)));
                }
            }
            SafetensorsWriter.write(second, loaded, dtype, SafetensorsWriter.PT_METADATA);
            assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second), dtype.toString());
        }
    }

    @Test
    void bf16WriterRoundsToNearestEvenAndKeepsNaN() {
        Path file = dir.resolve("r.safetensors");
        float tieDown = 1f + 0x1p-8f; // half-way between 1 and 1 + 2^-7: even is 1
        float tieUp = 1f + 3 * 0x1p-8f; // half-way between 1 + 2^-7 and 1 + 2^-6: even is 1 + 2^-6
        float above = Math.nextUp(tieDown);
        SafetensorsWriter.write(file, Map.of("x", FloatTensor.of(new float[] {tieDown, tieUp, above, Float.NaN}, 4)),
                DType.BF16, Map.of());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            float[] x = f.widen("x");
            assertEquals(1f, x[0]);
            assertEquals(1f + 0x1p-6f, x[1]);
            assertEquals(1f + 0x1p-7f, x[2]);
            assertTrue(Float.isNaN(x[3]));
            assertEquals(Map.of(), f.metadata());
        }
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporarySibling() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Files.writeString(file, "old");
        SafetensorsWriter.write(file, sample());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(4, f.names().size());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void readingInSmallWindowsGivesTheSameValues() {
        Path file = dir.resolve("w.safetensors");
        float[] x = new float[37];
        for (int i = 0; i < x.length; i++) {
            x[i] = i * 0.5f - 3f;
        }
        SafetensorsWriter.write(file, Map.of("x", FloatTensor.of(x, 37)), DType.BF16, Map.of());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertArrayEquals(x, f.readFloats("x", 8));
            assertArrayEquals(x, f.readFloats("x", 16));
        }
        SafetensorsWriter.write(file, Map.of("x", FloatTensor.of(x, 37)));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertArrayEquals(x, f.readFloats("x", 8));
        }
    }

    /** A sparse file: 2 GiB + 8 bytes of zeros (a U8 tensor), then a small F32 tensor past the 2 GiB mark. */
    @Test
    void readsATensorBeyondTheTwoGibMarkOfALargeSparseFile() throws IOException {
        long big = (1L << 31) + 8;
        String header = "{\"big\":{\"dtype\":\"U8\",\"shape\":[" + big + "],\"data_offsets\":[0," + big + "]},"
                + "\"tail\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + big + "," + (big + 8) + "]}}";
        Path file = dir.resolve("large.safetensors");
        byte[] head = withLength(header);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(head);
            raf.setLength(head.length + big + 8);
            raf.seek(head.length + big);
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-4f);
            raf.write(tail.array());
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertArrayEquals(new float[] {1.5f, -4f}, f.readFloats("tail"));
            assertEquals(big, f.info("big").byteSize());
            BadInputException e = assertThrows(BadInputException.class, () -> f.readBytes("big"));
            assertMessage(e, file, "big");
        }
    }

    @Test
    void rawBytesOfIntegerTensorsReadButNotAsFloats() {
        String header = "{\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}";
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(7).putLong(-1);
        Path file = writeRaw("ids.safetensors", header, data.array());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            ByteBuffer b = f.readBytes("ids");
            assertEquals(7, b.getLong(0));
            assertEquals(-1, b.getLong(8));
            assertMessage(assertThrows(BadInputException.class, () -> f.readFloats("ids")), file, "ids");
            assertMessage(assertThrows(BadInputException.class, () -> f.readFloats("nope")), file, "nope");
        }
    }

    // ------------------------------------------------------------- bad files: one message naming file and tensor

    @Test
    void fileShorterThanTheHeaderLengthIsRefused() {
        Path file = dir.resolve("short.safetensors");
        writeBytes(file, new byte[] {1, 2, 3});
        assertMessage(refused(file), file, "truncated");
    }

    @Test
    void headerLengthBeyondTheFileSizeIsRefused() {
        byte[] bytes = withLength("{}");
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        Path file = dir.resolve("len.safetensors");
        writeBytes(file, bytes);
        assertMessage(refused(file), file, "header length 1000 runs past the end of the file");
    }

    @Test
    void headerLengthOverTheLimitIsRefused() {
        byte[] bytes = withLength("{}");
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -5);
        Path file = dir.resolve("huge.safetensors");
        writeBytes(file, bytes);
        assertMessage(refused(file), file, "exceeds the limit");
    }

    @Test
    void headerThatIsNotJsonIsRefused() {
        Path file = writeRaw("json.safetensors", "{\"w\":{\"dtype\":\"F32\",", new byte[0]);
        assertMessage(refused(file), file, "not valid safetensors JSON");
    }

    @Test
    void headerThatIsNotUtf8IsRefused() {
        byte[] bytes = withLength("{\"\u00e9\":1}");
        bytes[10] = (byte) 0xff;
        Path file = dir.resolve("utf.safetensors");
        writeBytes(file, bytes);
        assertMessage(refused(file), file, "UTF-8");
    }

    @Test
    void headerNotStartingWithABraceIsRefused() {
        Path file = writeRaw("brace.safetensors", "[1,2]", new byte[0]);
        assertMessage(refused(file), file, "'{'");
    }

    @Test
    void unknownDtypeIsRefusedNamingTheTensor() {
        Path file = writeRaw("dtype.safetensors",
                "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]);
        assertMessage(refused(file), file, "tensor 'w'", "unknown dtype 'F8_E4M3'");
    }

    @Test
    void shapeThatDisagreesWithTheByteRangeIsRefusedNamingTheTensor() {
        Path file = writeRaw("shape.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", new byte[20]);
        assertMessage(refused(file), file, "tensor 'w'", "needs 24 bytes");
    }

    @Test
    void offsetsPastTheEndOfTheDataAreRefusedNamingTheTensor() {
        Path file = writeRaw("range.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[8]);
        assertMessage(refused(file), file, "tensor 'w'", "past the end");
    }

    @Test
    void truncatedFileIsRefusedNamingTheTensorItCuts() throws IOException {
        Path file = dir.resolve("cut.safetensors");
        SafetensorsWriter.write(file, sample());
        byte[] bytes = Files.readAllBytes(file);
        writeBytes(file, Arrays.copyOf(bytes, bytes.length - 3));
        assertMessage(refused(file), file, "tensor 'w'", "truncated");
    }

    @Test
    void overlappingOffsetsAreRefusedNamingBothTensors() {
        Path file = writeRaw("overlap.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]);
        assertMessage(refused(file), file, "tensor 'b'", "overlap tensor 'a'");
    }

    @Test
    void holeBetweenTensorsIsRefusedNamingTheTensorAfterIt() {
        Path file = writeRaw("hole.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]);
        assertMessage(refused(file), file, "tensor 'b'", "holes");
    }

    @Test
    void trailingBytesAfterTheLastTensorAreRefused() {
        Path file = writeRaw("trail.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[6]);
        assertMessage(refused(file), file, "2 bytes after the last tensor");
    }

    @Test
    void offsetsEndingBeforeTheyBeginAreRefusedNamingTheTensor() {
        Path file = writeRaw("rev.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", new byte[4]);
        assertMessage(refused(file), file, "tensor 'a'", "end before they begin");
    }

    @Test
    void duplicateTensorNameIsRefused() {
        Path file = writeRaw("dup.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]);
        assertMessage(refused(file), file, "tensor 'a'", "twice");
    }

    @Test
    void entryWithoutOffsetsOrWithAFractionalDimensionIsRefused() {
        Path missing = writeRaw("missing.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[0]);
        assertMessage(refused(missing), missing, "tensor 'a'", "data_offsets");
        Path fraction = writeRaw("fraction.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", new byte[4]);
        assertMessage(refused(fraction), fraction, "tensor 'a'", "1.5");
        Path negative = writeRaw("negative.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]);
        assertMessage(refused(negative), negative, "tensor 'a'", "-1");
    }

    @Test
    void missingFileIsRefusedNamingIt() {
        Path file = dir.resolve("absent.safetensors");
        assertMessage(refused(file), file, "no such file");
    }

    // ------------------------------------------------------------- helpers

    private static BadInputException refused(Path file) {
        return assertThrows(BadInputException.class, () -> SafetensorsFile.open(file).close());
    }

    static void assertMessage(Exception e, Path file, String... parts) {
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()), () -> "message does not name " + file + ": " + m);
        for (String part : parts) {
            assertTrue(m.contains(part), () -> "message lacks '" + part + "': " + m);
        }
        assertFalse(m.contains("\n"), () -> "message is not one line: " + m);
    }

    static byte[] withLength(String header) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
    }

    private Path writeRaw(String name, String header, byte[] data) {
        byte[] head = withLength(header);
        byte[] all = Arrays.copyOf(head, head.length + data.length);
        System.arraycopy(data, 0, all, head.length, data.length);
        Path file = dir.resolve(name);
        writeBytes(file, all);
        return file;
    }

    private static void writeBytes(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
