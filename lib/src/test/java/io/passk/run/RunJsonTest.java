package io.passk.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunJsonTest {

    @Test
    void anyJsonObjectIsFlattenedToDottedKeysForDisplay(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("run.json");
        Files.writeString(f, "{\"method\":\"pass1\",\"k\":1,\"seed\":7,\"config\":{\"lr\":1e-5,"
                + "\"schedule\":{\"kind\":\"constant\"},\"empty\":{}},\"tasks\":[\"maze\"],\"note\":null}");
        RunInfo info = RunJson.read(f, "dir");
        assertEquals("dir", info.name());
        assertEquals("1e-5", info.config().get("config.lr"));
        assertEquals("constant", info.config().get("config.schedule.kind"));
        assertEquals("{}", info.config().get("config.empty"));
        assertEquals("[\"maze\"]", info.config().get("tasks"));
        assertEquals("null", info.config().get("note"));
    }
}
