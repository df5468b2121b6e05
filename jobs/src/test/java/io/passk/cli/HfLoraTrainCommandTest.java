package io.passk.cli;

import io.passk.hf.peft.AdapterDirectory;
import io.passk.policy.PolicyCache;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code passk train --init TINY_DIR --lora-rank R}: LoRA adapters trained end to end, each
 * epoch's checkpoint a PEFT adapter directory on the tiny base, a resume that repeats the run bit
 * for bit, {@code --init ADAPTER} continuing one, executors that load the base once, and the
 * refusals (exit 2, one line, nothing written).
 */
class HfLoraTrainCommandTest {

    @TempDir
    static Path tmp;
    static String tasks;
    static final String TINY = HfTrainCommandTest.TINY;

    /** The one-digit sums of {@link HfTrainCommandTest}: the tiny model's update is not all zero. */
    @BeforeAll
    static void suite() {
        tasks = HfTrainCommandTest.digitSums(tmp.resolve("digits"), 10);
    }

    /** {@link HfTrainCommandTest}'s small run from {@code init}, on this class's suite. */
    static String[] args(Path out, String init, String... extra) {
        return HfTrainCommandTest.argsFrom(tasks, out, init, extra);
    }

    @Test
    void loraTrainingWritesAdapterDirectoriesOnTheBaseAndResumesBitForBit() throws Exception {
        Path run = tmp.resolve("lora-run");
        assertEquals(0, Passk.execute(args(run, TINY, "--lora-rank", "4", "--lora-targets", "q_proj,v_proj,down_proj")));
        Path last = run.resolve("checkpoints/epoch=1");
        assertEquals(List.of(AdapterDirectory.CONFIG, AdapterDirectory.WEIGHTS, AdapterDirectory.META),
                HfTrainCommandTest.files(last));
        AdapterDirectory adapter = AdapterDirectory.open(last);
        assertEquals(Path.of(TINY).toAbsolutePath().normalize(), adapter.baseDir().orElseThrow());
        assertEquals(List.of("q_proj", "v_proj", "down_proj"), adapter.config().targets());
        assertEquals(8.0, adapter.config().alpha(), "alpha defaults to 2 * rank");
        boolean moved = adapter.tensors().entrySet().stream().anyMatch(e -> e.getKey().endsWith("lora_B.weight")
                && !Arrays.equals(e.getValue().values(), new float[e.getValue().values().length]));
        assertTrue(moved, "two epochs of updates moved B away from zero");
        String json = Files.readString(run.resolve("run.json"));
        assertTrue(json.contains("\"lora_rank\": 4") && json.contains("\"lora_alpha\": 8.0")
                && json.contains("\"lora_targets\": \"q_proj,v_proj,down_proj\""), json);

        List<String> names = HfTrainCommandTest.files(last);
        byte[][] before = new byte[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            before[i] = Files.readAllBytes(last.resolve(names.get(i)));
        }
        io.passk.fs.AtomicOutput.deleteRecursively(last);
        assertEquals(0, Passk.execute(args(run, TINY, "--lora-rank", "4", "--lora-targets", "q_proj,v_proj,down_proj",
                "--resume")));
        assertEquals(names, HfTrainCommandTest.files(last));
        for (int i = 0; i < names.size(); i++) {
            assertArrayEquals(before[i], Files.readAllBytes(last.resolve(names.get(i))), names.get(i));
        }

        // --init ADAPTER continues it with its own settings, from its step
        Path next = tmp.resolve("lora-continued");
        assertEquals(0, Passk.execute(args(next, last.toString(), "--epochs", "1")));
        AdapterDirectory continued = AdapterDirectory.open(next.resolve("checkpoints/epoch=0"));
        assertEquals(adapter.config(), continued.config());
        assertTrue(continued.step() > adapter.step(), continued.step() + " after " + adapter.step());
        assertTrue(Files.readString(next.resolve("run.json")).contains("\"lora_rank\": 4"));
    }

    @Test
    void executorsLoadTheBaseOnceAndOneAdapterPerEpoch() throws Exception {
        // a base of its own path, so that no other test's load is counted
        Path base = Files.createDirectories(tmp.resolve("base-copy"));
        for (String f : HfTrainCommandTest.files(Path.of(TINY))) {
            Files.copy(Path.of(TINY).resolve(f), base.resolve(f));
        }
        int loads = PolicyCache.loads();
        int adapterLoads = PolicyCache.adapterLoads();
        Path run = tmp.resolve("lora-counted");
        assertEquals(0, Passk.execute(args(run, base.toString(), "--lora-rank", "2", "--epochs", "3",
                "--eval-every", "10")));
        // rollouts of epoch 0 and the initial evaluation: the base; epochs 1, 2: adapters 0, 1;
        // the final evaluation: adapter 2
        assertEquals(loads + 1, PolicyCache.loads(), "the base, once in this JVM");
        assertEquals(adapterLoads + 3, PolicyCache.adapterLoads(), "one adapter per epoch");
    }

    @Test
    void badLoraOptionsExitWith2OnOneLineAndWriteNothing() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("adapter-for-llama"));
        Path adapter = tmp.resolve("lora-run-for-other");
        // an adapter trained elsewhere, edited to name a base of other shapes
        Path src = Path.of(HfTrainCommandTest.TINY).getParent().resolve("tiny-qwen2-lora");
        for (String f : HfTrainCommandTest.files(src)) {
            Files.copy(src.resolve(f), other.resolve(f));
        }
        Path llama = Path.of(HfTrainCommandTest.TINY).getParent().resolve("tiny-llama").toAbsolutePath();
        String config = Files.readString(other.resolve(AdapterDirectory.CONFIG));
        Files.writeString(other.resolve(AdapterDirectory.CONFIG), config.replaceAll(
                "\"base_model_name_or_path\": [^,\\n]*", "\"base_model_name_or_path\": \"" + llama + "\""));
        Files.deleteIfExists(other.resolve(AdapterDirectory.META));
        List<String[]> cases = List.of(
                args(adapter, TINY, "--lora-rank", "0"),
                args(adapter, TINY, "--lora-rank", "4", "--lora-targets", "q_proj,qkv_proj"),
                args(adapter, TINY, "--lora-rank", "4", "--lora-alpha", "0"),
                args(adapter, TINY, "--lora-rank", "4", "--lora-dropout", "1"),
                args(adapter, TINY, "--lora-alpha", "4"),
                args(adapter, TINY, "--lora-rank", "4", "--save-dtype", "bf16"),
                args(adapter, other.toString()));
        for (String[] a : cases) {
            CliRun r = CliRun.of(a);
            assertEquals(2, r.code(), String.join(" ", a) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(Files.exists(adapter), String.join(" ", a));
        }
        List<String> builtIn = new ArrayList<>(Arrays.asList(args(adapter, TINY, "--lora-rank", "4")));
        int i = builtIn.indexOf("--init");
        builtIn.remove(i + 1);
        builtIn.remove(i);
        CliRun r = CliRun.of(builtIn.toArray(new String[0]));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("needs a Hugging Face --init"), r.err());
        assertNotEquals(0, r.err().length());
        assertFalse(Files.exists(adapter));
    }
}
