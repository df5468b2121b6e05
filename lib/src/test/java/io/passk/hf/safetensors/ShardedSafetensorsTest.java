package io.passk.hf.safetensors;

import static io.passk.hf.safetensors.SafetensorsFileTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.passk.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedSafetensorsTest {

    @TempDir
    Path dir;

    private static final Map<String, FloatTensor> TENSORS = Map.of(
            "a", FloatTensor.of(new float[] {1, 2, 3, 4}, 2, 2),
            "b", FloatTensor.of(new float[] {5, 6}, 2),
            "c", FloatTensor.of(new float[] {7, 8, 9, 10, 11, 12}, 6));

    @Test
    void shardsReadAsOneSourceWithEachTensorFromItsFile() {
        List<Path> files = ShardedSafetensors.write(dir, TENSORS, DType.F32, 16);
        assertEquals(List.of("model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                "model-00003-of-00003.safetensors", ShardedSafetensors.INDEX_NAME),
                files.stream().map(p -> p.getFileName().toString()).toList());
        try (ShardedSafetensors s = ShardedSafetensors.open(dir.resolve(ShardedSafetensors.INDEX_NAME))) {
            assertEquals(List.of("a", "b", "c"), List.copyOf(s.names()));
            assertEquals(dir.resolve("model-00002-of-00003.safetensors"), s.fileOf("b"));
            assertEquals(3, s.shards().size());
            for (String name : TENSORS.keySet()) {
                assertArrayEquals(TENSORS.get(name).values(), s.readFloats(name));
                assertEquals(TENSORS.get(name).shape(), s.find(name).orElseThrow().shape());
            }
            BadInputException e = assertThrows(BadInputException.class, () -> s.readFloats("d"));
            assertMessage(e, dir.resolve(ShardedSafetensors.INDEX_NAME), "'d'");
        }
    }

    @Test
    void smallTensorsShareAShardUpToTheLimit() {
        List<Path> files = ShardedSafetensors.write(dir, TENSORS, DType.BF16, 12);
        // a (8 bytes) + b (4 bytes) fit in 12; c (12 bytes) starts the next shard
        assertEquals(3, files.size());
        try (ShardedSafetensors s = ShardedSafetensors.open(dir.resolve(ShardedSafetensors.INDEX_NAME))) {
            assertEquals(s.fileOf("a"), s.fileOf("b"));
            assertArrayEquals(TENSORS.get("c").values(), s.readFloats("c"));
        }
    }

    @Test
    void tensorInTwoShardsIsRefusedNamingTheShardTheIndexDoesNotMapItTo() throws IOException {
        ShardedSafetensors.write(dir, TENSORS, DType.F32, 16);
        Path second = dir.resolve("model-00002-of-00003.safetensors");
        SafetensorsWriter.write(second, Map.of("b", TENSORS.get("b"), "a", TENSORS.get("a")));
        BadInputException e = assertThrows(BadInputException.class,
                () -> ShardedSafetensors.open(dir.resolve(ShardedSafetensors.INDEX_NAME)).close());
        assertMessage(e, second, "tensor 'a'", "maps it to another shard");
    }

    @Test
    void indexWithoutAWeightMapOrNotJsonIsRefused() throws IOException {
        Path index = dir.resolve(ShardedSafetensors.INDEX_NAME);
        Files.writeString(index, "{\"metadata\": {}}");
        assertMessage(assertThrows(BadInputException.class, () -> ShardedSafetensors.open(index)), index, "weight_map");
        Files.writeString(index, "{\"weight_map\": {\"a\": 3}}");
        assertMessage(assertThrows(BadInputException.class, () -> ShardedSafetensors.open(index)), index, "tensor 'a'");
        Files.writeString(index, "{\"weight_map\": ");
        assertMessage(assertThrows(BadInputException.class, () -> ShardedSafetensors.open(index)), index, "not valid JSON");
    }
}
