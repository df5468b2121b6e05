package io.passk.hf.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java against the independent Python implementation (hf_fixtures.py: struct, numpy, torch). */
class CrossImplementationTest {

    @TempDir
    Path dir;

    @Test
    void pythonWrittenFileReadsWithExactValues() {
        Path file = PythonOracle.fixture("python-written.safetensors");
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(Map.of("format", "pt", "source", "hf_fixtures.py"), f.metadata());
            assertEquals(List.of(2L, 3L), f.info("matrix").shape());
            assertArrayEquals(new float[] {1.5f, -2f, 3.25f, 0f, 7f, -0.125f}, f.readFloats("matrix"));
            assertEquals(List.of(), f.info("scalar").shape());
            assertArrayEquals(new float[] {42f}, f.readFloats("scalar"));
            assertEquals(List.of(0L, 3L), f.info("empty").shape());
            assertEquals(0, f.readFloats("empty").length);
            ByteBuffer ids = f.readBytes("ids");
            assertEquals(List.of(1L, -2L, 3_000_000_000L), List.of(ids.getLong(0), ids.getLong(8), ids.getLong(16)));
            assertEquals(DType.BF16, f.info("x_bf16").dtype());
            assertEquals(DType.F16, f.info("x_f16").dtype());
            // widening: Java's BF16 / F16 -> F32 against numpy's, bit for bit (NaN included)
            assertBitsEqual(f.widen("x_bf16_widened"), f.widen("x_bf16"));
            assertBitsEqual(f.widen("x_f16_widened"), f.widen("x_f16"));
            // narrowing: Java's F32 -> BF16 against torch's, F32 -> F16 against numpy's
            float[] x = f.widen("x_f32");
            ByteBuffer bf16 = f.readBytes("x_bf16");
            ByteBuffer f16 = f.readBytes("x_f16");
            for (int i = 0; i < x.length; i++) {
                if (Float.isNaN(x[i])) { // torch's NaN pattern depends on its code path (0x7FC0 or 0xFFFF)
                    assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(bf16.getShort(2 * i))));
                    assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(x[i]))));
                    assertEquals(f16.getShort(2 * i), HalfFloats.floatToF16(x[i]), "f16 of NaN");
                    continue;
                }
                assertEquals(bf16.getShort(2 * i), HalfFloats.floatToBf16(x[i]), "bf16 of " + x[i]);
                assertEquals(f16.getShort(2 * i), HalfFloats.floatToF16(x[i]), "f16 of " + x[i]);
            }
        }
    }

    /** Python wrote the tiny checkpoints in the same canonical layout, so Java rewrites them byte for byte. */
    @Test
    void javaWriterReproducesThePythonWritersBytes() throws IOException {
        Map<String, FloatTensor> weights = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(PythonOracle.fixture("tiny-qwen2/model.safetensors"))) {
            for (String name : f.names()) {
                weights.put(name, new FloatTensor(f.info(name).shape(), f.readFloats(name)));
            }
        }
        Path f32 = dir.resolve("f32.safetensors");
        Path bf16 = dir.resolve("bf16.safetensors");
        SafetensorsWriter.write(f32, weights);
        SafetensorsWriter.write(bf16, weights, DType.BF16, SafetensorsWriter.PT_METADATA);
        assertArrayEquals(Files.readAllBytes(PythonOracle.fixture("tiny-qwen2/model.safetensors")), Files.readAllBytes(f32));
        assertArrayEquals(Files.readAllBytes(PythonOracle.fixture("tiny-qwen2-bf16/model.safetensors")), Files.readAllBytes(bf16));
    }

    /** Shards split and indexed as save_pretrained does, byte for byte with the Python writer. */
    @Test
    void javaShardWriterReproducesThePythonShardsAndIndex() throws IOException {
        for (Map.Entry<String, Long> fixture : Map.of("tiny-qwen2-sharded", 3000L, "tiny-llama-sharded-bf16", 1000L).entrySet()) {
            Path source = PythonOracle.fixture(fixture.getKey());
            Map<String, FloatTensor> weights = new LinkedHashMap<>();
            DType dtype;
            try (ShardedSafetensors s = ShardedSafetensors.open(source.resolve(ShardedSafetensors.INDEX_NAME))) {
                dtype = s.find("model.norm.weight").orElseThrow().dtype();
                for (String name : s.names()) {
                    weights.put(name, new FloatTensor(s.find(name).orElseThrow().shape(), s.readFloats(name)));
                }
            }
            Path out = Files.createDirectories(dir.resolve(fixture.getKey()));
            List<Path> written = ShardedSafetensors.write(out, weights, dtype, fixture.getValue());
            assertEquals(out.resolve(ShardedSafetensors.INDEX_NAME), written.get(written.size() - 1));
            assertEquals(4, written.size());
            for (Path file : written) {
                assertArrayEquals(Files.readAllBytes(source.resolve(file.getFileName())), Files.readAllBytes(file),
                        fixture.getKey() + "/" + file.getFileName());
            }
            List<Path> single = ShardedSafetensors.write(Files.createDirectories(dir.resolve("single")), weights, dtype, 1L << 40);
            assertEquals(List.of(dir.resolve("single/model.safetensors")), single);
        }
    }

    @Test
    void pythonReadsJavaWrittenFilesWithTheSameValuesAndRounding() throws Exception {
        PythonOracle.python();
        Random rng = new Random(5);
        float[] random = new float[20_000];
        for (int i = 0; i < random.length; i++) {
            float v;
            do {
                v = switch (i % 4) {
                    case 0 -> Float.intBitsToFloat(rng.nextInt()); // every exponent
                    case 1 -> (float) rng.nextGaussian();
                    case 2 -> (float) (rng.nextGaussian() * 1e-5); // F16 subnormal range
                    default -> HalfFloats.f16ToFloat((short) rng.nextInt(0x7c00)); // F16 values, written as F32
                };
            } while (Float.isNaN(v));
            random[i] = v;
        }
        float[] allF16 = new float[0x10000];
        float[] allBf16 = new float[0x10000];
        for (int b = 0; b < 0x10000; b++) {
            allF16[b] = HalfFloats.f16ToFloat((short) b);
            allBf16[b] = HalfFloats.bf16ToFloat((short) b);
        }
        Path f32 = dir.resolve("f32.safetensors");
        Path f16 = dir.resolve("f16.safetensors");
        Path bf16 = dir.resolve("bf16.safetensors");
        SafetensorsWriter.write(f32, Map.of("random", FloatTensor.of(random, 100, 200), "b", FloatTensor.of(new float[] {2f}, 1, 1)));
        SafetensorsWriter.write(f16, Map.of("all", FloatTensor.of(allF16, 256, 256)), DType.F16, SafetensorsWriter.PT_METADATA);
        SafetensorsWriter.write(bf16, Map.of("all", FloatTensor.of(allBf16, 0x10000)), DType.BF16, Map.of());

        JsonObject dumps = PythonOracle.dump(f32, f16, bf16);
        JsonObject d32 = dumps.getAsJsonObject(f32.toString());
        assertEquals("pt", d32.getAsJsonObject("metadata").get("format").getAsString());
        JsonObject r = d32.getAsJsonObject("tensors").getAsJsonObject("random");
        assertEquals("F32", r.get("dtype").getAsString());
        assertEquals(List.of(100, 200), ints(r.getAsJsonArray("shape")));
        int[] bits = new int[random.length];
        int[] f16Bits = new int[random.length];
        int[] bf16Bits = new int[random.length];
        for (int i = 0; i < random.length; i++) {
            bits[i] = Float.floatToRawIntBits(random[i]);
            f16Bits[i] = HalfFloats.floatToF16(random[i]) & 0xffff;
            bf16Bits[i] = HalfFloats.floatToBf16(random[i]) & 0xffff;
        }
        assertArrayEquals(bits, intArray(r.getAsJsonArray("f32_bits")));
        assertArrayEquals(f16Bits, intArray(r.getAsJsonArray("f16_bits")), "F32 -> F16 against numpy");
        if (r.has("bf16_bits")) { // present where the Python side has torch
            assertArrayEquals(bf16Bits, intArray(r.getAsJsonArray("bf16_bits")), "F32 -> BF16 against torch");
        }
        // every F16 and BF16 pattern written by Java and widened by numpy equals Java's widening
        for (Path file : List.of(f16, bf16)) {
            JsonObject all = dumps.getAsJsonObject(file.toString()).getAsJsonObject("tensors").getAsJsonObject("all");
            float[] expected = file == f16 ? allF16 : allBf16;
            int[] widened = intArray(all.getAsJsonArray("f32_bits"));
            assertEquals(0x10000, widened.length);
            for (int b = 0; b < 0x10000; b++) {
                int pattern = b;
                assertEquals(Float.floatToRawIntBits(expected[b]), widened[b], () -> file + " pattern " + Integer.toHexString(pattern));
            }
        }
    }

    @Test
    void pythonReaderRefusesAFileJavaRefuses() throws Exception {
        PythonOracle.python();
        byte[] head = SafetensorsFileTest.withLength(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}");
        Path file = dir.resolve("hole.safetensors");
        Files.write(file, java.util.Arrays.copyOf(head, head.length + 12));
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> PythonOracle.dump(file));
        assertTrue(e.getMessage().contains("not contiguous"), e.getMessage());
    }

    private static void assertBitsEqual(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "element " + i);
        }
    }

    private static List<Integer> ints(JsonArray a) {
        return a.asList().stream().map(e -> e.getAsInt()).toList();
    }

    private static int[] intArray(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) a.get(i).getAsLong();
        }
        return out;
    }
}
