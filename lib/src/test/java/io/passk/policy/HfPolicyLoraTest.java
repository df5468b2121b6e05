package io.passk.policy;

import ai.djl.Device;
import io.passk.BadInputException;
import io.passk.hf.peft.AdapterDirectory;
import io.passk.hf.peft.AdapterMerge;
import io.passk.hf.peft.LoraConfig;
import io.passk.hf.safetensors.DType;
import io.passk.hf.safetensors.FloatTensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LoRA on a Hugging Face policy: exact start, frozen base, adapter checkpoints, merge, cache. */
class HfPolicyLoraTest {
    static final Path TINY = HfPolicyTest.TINY;
    static final LoraConfig CFG = new LoraConfig(4, 8, 0.0, LoraConfig.MODULES);

    @TempDir
    Path tmp;

    @BeforeAll
    static void threads() {
        EngineThreads.configure(1);
    }

    static final List<String> PROMPTS = List.of("a b", "1 2 3");
    static final List<int[]> RESPONSES = List.of(new int[]{5, 6, 2}, new int[]{13, 2});

    static List<int[]> inputs(PolicyModel p) {
        return PROMPTS.stream().map(s -> p.encodePrompt(s, "plain")).toList();
    }

    /** A few Adam steps on the NLL of the two responses. */
    static void train(PolicyModel p, int steps) {
        List<int[]> in = inputs(p);
        try (PolicyTrainer t = p.newTrainer(PolicyTrainer.Settings.adam(5e-2))) {
            for (int i = 0; i < steps; i++) {
                t.step(b -> {
                    TokenLogProbs lp = b.tokenLogProbs(in, RESPONSES, 1.0);
                    return lp.logProbs().sum().neg().div(lp.mask().sum());
                });
            }
        }
    }

    static void assertSameLogProbs(float[][] want, float[][] got, double tol) {
        for (int r = 0; r < want.length; r++) {
            for (int t = 0; t < want[r].length; t++) {
                assertEquals(want[r][t], got[r][t], tol, "row " + r + " token " + t);
            }
        }
    }

    @Test
    void freshAdaptersScoreAndSampleExactlyAsTheBaseModel() {
        try (HfPolicy base = HfPolicy.load(TINY, Device.cpu());
             HfPolicy adapted = base.withNewAdapter(CFG, 3, null)) {
            float[][] want = base.tokenLogProbs(inputs(base), RESPONSES, 1.0);
            float[][] got = adapted.tokenLogProbs(inputs(adapted), RESPONSES, 1.0);
            for (int r = 0; r < want.length; r++) {
                assertArrayEquals(want[r], got[r], "row " + r + ": B = 0 leaves the logits as they are");
            }
            SamplingConfig cfg = new SamplingConfig(4, 1.0, 1.0, 5, 2, 9, 0, true);
            List<Sample> a = base.sample(List.of(new SampleRequest("p", "a b")), cfg, "plain");
            List<Sample> b = adapted.sample(List.of(new SampleRequest("p", "a b")), cfg, "plain");
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).tokens(), b.get(i).tokens());
                assertArrayEquals(a.get(i).logprobs(), b.get(i).logprobs());
            }
        }
    }

    @Test
    void aTrainerStepChangesOnlyTheAdaptersTheBaseTensorsStayBitEqual() {
        try (HfPolicy adapted = HfPolicy.loadForLora(PolicySource.of(TINY), CFG, 3, Device.cpu())) {
            Map<String, FloatTensor> baseBefore = adapted.model().tensors();
            Map<String, FloatTensor> adaptersBefore = adapted.model().adapterTensors();
            float before = HfPolicyTest.nll(adapted.tokenLogProbs(inputs(adapted), RESPONSES, 1.0));
            train(adapted, 1);
            assertEquals(1, adapted.step());
            Map<String, FloatTensor> baseAfter = adapted.model().tensors();
            assertEquals(baseBefore.keySet(), baseAfter.keySet());
            for (String name : baseBefore.keySet()) {
                assertArrayEquals(baseBefore.get(name).values(), baseAfter.get(name).values(), name + " is frozen");
            }
            int changed = 0;
            for (Map.Entry<String, FloatTensor> e : adapted.model().adapterTensors().entrySet()) {
                if (!Arrays.equals(adaptersBefore.get(e.getKey()).values(), e.getValue().values())) {
                    changed++;
                    assertTrue(e.getKey().endsWith("lora_B.weight"), e.getKey()
                            + ": with B = 0 the first step's gradient reaches B only");
                }
            }
            assertEquals(adaptersBefore.size() / 2, changed, "every B moved");
            train(adapted, 4);
            assertTrue(HfPolicyTest.nll(adapted.tokenLogProbs(inputs(adapted), RESPONSES, 1.0)) < before,
                    "training the adapters lowers the NLL");
            for (String name : baseBefore.keySet()) {
                assertArrayEquals(baseBefore.get(name).values(), adapted.model().tensors().get(name).values(), name);
            }
        }
    }

    @Test
    void theCheckpointIsAnAdapterDirectoryThatReloadsExactlyAndMergesTo1e5() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("adapter"));
        float[][] trained;
        try (HfPolicy adapted = HfPolicy.loadForLora(PolicySource.of(TINY), CFG, 3, Device.cpu())) {
            train(adapted, 3);
            trained = adapted.tokenLogProbs(inputs(adapted), RESPONSES, 1.0);
            adapted.writeCheckpoint(dir, Map.of("test", "yes"), "f32");
            assertThrows(BadInputException.class, () -> adapted.writeCheckpoint(
                    Files.createDirectories(tmp.resolve("bf16")), Map.of(), "bf16"));
        }
        assertTrue(PolicySource.of(dir) instanceof PolicySource.Adapter);
        assertFalse(PolicySource.of(dir) instanceof PolicySource.HuggingFace);
        AdapterDirectory a = AdapterDirectory.open(dir);
        assertEquals(CFG, a.config());
        assertEquals(3, a.step());
        assertEquals(TINY, a.baseDir().orElseThrow());
        PolicyModel.check(dir);
        try (PolicyModel p = PolicyModel.load(dir, Device.cpu())) {
            assertInstanceOf(HfPolicy.class, p);
            assertEquals(3, p.step());
            float[][] again = p.tokenLogProbs(inputs(p), RESPONSES, 1.0);
            for (int r = 0; r < trained.length; r++) {
                assertArrayEquals(trained[r], again[r], "row " + r + ": the F32 adapter reloads exactly");
            }
        }
        // continuing: the adapter's config must be the run's
        assertThrows(BadInputException.class, () -> HfPolicy.loadForLora(PolicySource.of(dir), new LoraConfig(2, 8, 0, LoraConfig.MODULES),
                3, Device.cpu()));
        Path merged = AdapterMerge.exportMerged(dir, null, tmp.resolve("merged"), DType.F32, false, line -> { });
        try (PolicyModel p = PolicyModel.load(merged, Device.cpu())) {
            assertSameLogProbs(trained, p.tokenLogProbs(inputs(p), RESPONSES, 1.0), 1e-5);
        }
    }

    @Test
    void anAdapterForAnotherBaseIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("qwen-adapter"));
        try (HfPolicy adapted = HfPolicy.loadForLora(PolicySource.of(TINY), CFG, 3, Device.cpu())) {
            adapted.writeCheckpoint(dir, Map.of(), "f32");
        }
        // another base of the same shapes (one full step further): the fingerprint in passk_adapter.json tells them apart
        Path other = Files.createDirectories(tmp.resolve("other-base"));
        try (HfPolicy p = HfPolicy.load(TINY, Device.cpu())) {
            train(p, 1);
            HfPolicyTest.save(p, other, "f32");
        }
        try (HfPolicy otherBase = HfPolicy.load(other, Device.cpu())) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> otherBase.withAdapter(AdapterDirectory.open(dir), 0, null));
            assertTrue(e.getMessage().contains("another base model"), e.getMessage());
        }
    }

    @Test
    void theCacheLoadsTheBaseOncePerJvmAndEachEpochsAdapterOnTopOfIt() throws Exception {
        Path base = tmp.resolve("base");
        Files.createDirectories(base);
        try (HfPolicy p = HfPolicy.load(TINY, Device.cpu())) {
            HfPolicyTest.save(p, base, "f32");
        }
        List<Path> epochs = new java.util.ArrayList<>();
        try (HfPolicy adapted = HfPolicy.loadForLora(PolicySource.of(base), CFG, 3, Device.cpu())) {
            for (int e = 0; e < 3; e++) {
                train(adapted, 1);
                Path dir = Files.createDirectories(tmp.resolve("epoch=" + e));
                adapted.writeCheckpoint(dir, Map.of(), "f32");
                epochs.add(dir);
            }
        }
        int loads = PolicyCache.loads();
        int adapterLoads = PolicyCache.adapterLoads();
        float[][] last = null;
        for (Path dir : epochs) {
            for (int task = 0; task < 2; task++) {   // two tasks of the epoch's Spark stage
                try (PolicyCache.Lease lease = PolicyCache.acquire(dir, Device.cpu())) {
                    last = lease.policy().tokenLogProbs(inputs(lease.policy()), RESPONSES, 1.0);
                    assertEquals(epochs.indexOf(dir) + 1, lease.policy().step());
                }
            }
        }
        assertEquals(loads + 1, PolicyCache.loads(), "the base, once");
        assertEquals(adapterLoads + 3, PolicyCache.adapterLoads(), "one adapter per epoch");
        try (PolicyModel p = PolicyModel.load(epochs.get(2), Device.cpu())) {
            float[][] want = p.tokenLogProbs(inputs(p), RESPONSES, 1.0);
            for (int r = 0; r < want.length; r++) {
                assertArrayEquals(want[r], last[r], "the cached base plus the adapter is the adapted policy");
            }
        }
    }

    @Test
    void dropoutMasksAreAFunctionOfTheSeedSoTrainingRepeatsBitForBit() {
        LoraConfig dropped = new LoraConfig(4, 8, 0.3, LoraConfig.MODULES);
        Map<String, FloatTensor> first;
        try (HfPolicy p = HfPolicy.loadForLora(PolicySource.of(TINY), dropped, 5, Device.cpu())) {
            train(p, 3);
            first = p.model().adapterTensors();
        }
        try (HfPolicy p = HfPolicy.loadForLora(PolicySource.of(TINY), dropped, 5, Device.cpu())) {
            train(p, 3);
            for (Map.Entry<String, FloatTensor> e : p.model().adapterTensors().entrySet()) {
                assertArrayEquals(first.get(e.getKey()).values(), e.getValue().values(), e.getKey());
            }
        }
        try (HfPolicy p = HfPolicy.loadForLora(PolicySource.of(TINY), CFG, 5, Device.cpu())) {
            train(p, 3);
            String b = "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight";
            assertFalse(Arrays.equals(first.get(b).values(), p.model().adapterTensors().get(b).values()),
                    "dropout changed the update");
        }
    }

    @Test
    void theKlReferenceOfALoraRunSharesTheBaseAndStaysFrozen() throws Exception {
        try (HfPolicy base = HfPolicy.load(TINY, Device.cpu());
             HfPolicy adapted = HfPolicy.loadForLora(PolicySource.of(TINY), CFG, 3, Device.cpu())) {
            float[][] want = base.tokenLogProbs(inputs(base), RESPONSES, 1.0);
            try (HfPolicy reference = adapted.frozenOnSameBase(PolicySource.of(TINY))) {
                train(adapted, 2);
                float[][] got = reference.tokenLogProbs(inputs(reference), RESPONSES, 1.0);
                for (int r = 0; r < want.length; r++) {
                    assertArrayEquals(want[r], got[r], "the reference is the initial policy");
                }
                assertTrue(reference.lora().isEmpty());
            }
            Path dir = Files.createDirectories(tmp.resolve("init-adapter"));
            adapted.writeCheckpoint(dir, Map.of(), "f32");
            float[][] trained = adapted.tokenLogProbs(inputs(adapted), RESPONSES, 1.0);
            try (HfPolicy reference = adapted.frozenOnSameBase(PolicySource.of(dir))) {
                train(adapted, 1);
                float[][] got = reference.tokenLogProbs(inputs(reference), RESPONSES, 1.0);
                for (int r = 0; r < want.length; r++) {
                    assertArrayEquals(trained[r], got[r], "an adapter --init is the reference");
                }
            }
            // the adapted policy still works after its references are closed
            assertEquals(3, adapted.step());
            adapted.tokenLogProbs(inputs(adapted), RESPONSES, 1.0);
        }
    }
}
