package io.passk.train;

import io.passk.policy.EngineThreads;
import io.passk.progress.ProgressListener;
import io.passk.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaseModelTest {

    static final String TASKS = Path.of("..", "data", "tasks", "arith").toString();
    static final BaseModel.Settings TINY = new BaseModel.Settings(48, 1, 32, 2, 30, 16, 3e-3, 7);

    @TempDir
    Path tmp;

    @Test
    void theSameSettingsGiveTheSameWeightsWhateverThreadCountRanBefore() throws Exception {
        EngineThreads.configure(2);
        Path a = BaseModel.ensure(SharedSpark.get(), TASKS, tmp.resolve("a"), TINY, ProgressListener.SILENT);
        EngineThreads.configure(1);
        Path b = BaseModel.ensure(SharedSpark.get(), TASKS, tmp.resolve("b"), TINY, ProgressListener.SILENT);
        assertArrayEquals(Files.readAllBytes(a.resolve("model.safetensors")), Files.readAllBytes(b.resolve("model.safetensors")));
        assertEquals(Files.readString(a.resolve("config.json")), Files.readString(b.resolve("config.json")));
        assertEquals(TrainingEpoch.LEARNER_THREADS, EngineThreads.current());
    }

    @Test
    void anExistingCheckpointIsReusedNotRetrained() throws Exception {
        Path a = BaseModel.ensure(SharedSpark.get(), TASKS, tmp.resolve("c"), TINY, ProgressListener.SILENT);
        long modified = Files.getLastModifiedTime(a.resolve("model.safetensors")).toMillis();
        assertEquals(a, BaseModel.ensure(SharedSpark.get(), TASKS, a, TINY, ProgressListener.SILENT));
        assertTrue(Files.getLastModifiedTime(a.resolve("model.safetensors")).toMillis() == modified);
    }
}
