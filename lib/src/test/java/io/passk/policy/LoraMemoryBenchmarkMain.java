package io.passk.policy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.passk.hf.DecoderConfig;
import io.passk.hf.ModelType;
import io.passk.hf.decoder.CausalLm;
import io.passk.hf.decoder.LoraAdapter;
import io.passk.hf.decoder.ResponseLogProbs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Not a test: the driver's memory per base parameter while the learner trains, full fine-tune
 * against LoRA, at Qwen2.5-0.5B's shapes (hidden 896, 14 heads, 2 KV heads, head_dim 64,
 * intermediate 4864, q/k/v biases, tied embedding) with random weights and fewer layers. One
 * mode per JVM, since freed memory is not handed back to the OS reliably: the process's peak
 * resident set ({@code VmHWM}) after the steps, less the resident set before the weights, is
 * what the learner needs. Arguments: mode (full | lora) layers vocab rows tokens steps rank. Run
 * from lib/:
 * <pre>
 * mvn -o -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.passk.policy.LoraMemoryBenchmarkMain lora 4 151936 4 64 3 16
 * </pre>
 */
public final class LoraMemoryBenchmarkMain {
    private LoraMemoryBenchmarkMain() {
    }

    /** A field of /proc/self/status in bytes (VmRSS, VmHWM). */
    static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no " + field + " in /proc/self/status");
    }

    public static void main(String[] args) {
        String mode = args[0];
        int layers = Integer.parseInt(args[1]);
        int vocab = Integer.parseInt(args[2]);
        int rows = Integer.parseInt(args[3]);
        int tokens = Integer.parseInt(args[4]);
        int steps = Integer.parseInt(args[5]);
        int rank = Integer.parseInt(args[6]);
        EngineThreads.configure(2);
        DecoderConfig c = new DecoderConfig(ModelType.QWEN2, vocab, 896, 4864, layers, 14, 2, 64, 1e-6, 1e6, 32768,
                true, true, false, false, Optional.empty(), Optional.empty(), List.of(), Optional.empty());
        try (NDManager m = NDManager.newBaseManager()) {
            m.zeros(new Shape(1)).close();   // the engine loaded before the baseline
            System.gc();
            long before = status("VmRSS");
            CausalLm base = CausalLm.build(c, (name, shape) -> name.endsWith("norm.weight")
                    ? m.ones(shape, DataType.FLOAT32)
                    : m.randomNormal(0, 0.02f, shape, DataType.FLOAT32));
            long params = 0;
            for (Parameter p : base.parametersByName().values()) {
                params += p.getArray().getShape().size();
            }
            long weights = status("VmRSS");
            CausalLm model = base;
            List<Parameter> trainable = new ArrayList<>(base.parametersByName().values());
            if (mode.equals("lora")) {
                model = CausalLm.sharing(base);
                trainable = new ArrayList<>(model.attachAdapters(rank, 2.0, 0.0, CausalLm.LORA_MODULES,
                        (name, shape) -> name.endsWith("lora_A.weight")
                                ? m.create(LoraAdapter.kaimingUniformA(1, name, (int) shape.get(0), shape.get(1)), shape)
                                : m.zeros(shape, DataType.FLOAT32)).values());
            } else if (!mode.equals("full")) {
                throw new IllegalArgumentException("mode full or lora, got " + mode);
            }
            long trainableParams = 0;
            for (Parameter p : trainable) {
                trainableParams += p.getArray().getShape().size();
            }
            CausalLm learner = model;
            long[] step = {0};
            PolicyTrainer.Target target = new PolicyTrainer.Target(Device.cpu(), trainable,
                    (mm, ps, in, resp, t, training) -> {
                        ResponseLogProbs lp = ResponseLogProbs.compute(learner, mm, ps, in, resp, t, training);
                        return new TokenLogProbs(lp.logProbs(), lp.mask());
                    }, () -> step[0], () -> step[0]++);
            SplittableRandom rnd = new SplittableRandom(1);
            List<int[]> prompts = new ArrayList<>();
            List<int[]> responses = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                prompts.add(rnd.ints(tokens / 2, 0, vocab).toArray());
                responses.add(rnd.ints(tokens - tokens / 2, 0, vocab).toArray());
            }
            try (PolicyTrainer trainer = new PolicyTrainer(target, PolicyTrainer.Settings.adam(1e-4))) {
                for (int s = 0; s < steps; s++) {
                    long t0 = System.nanoTime();
                    float loss = trainer.step(b -> {
                        TokenLogProbs lp = b.tokenLogProbs(prompts, responses, 1.0);
                        return lp.logProbs().sum().neg().div(lp.mask().sum());
                    });
                    System.out.printf(Locale.ROOT, "step %d loss %.4f  %.1f s  rss %.3f GB%n", s, loss,
                            (System.nanoTime() - t0) / 1e9, status("VmRSS") / 1e9);
                }
            }
            long peak = status("VmHWM");
            long after = status("VmRSS");
            System.out.printf(Locale.ROOT, "%s: layers %d vocab %d, %d base parameters (%.1f M), %d trained (%.2f%%),"
                            + " batch %d x %d tokens%n", mode, layers, vocab, params, params / 1e6, trainableParams,
                    100.0 * trainableParams / params, rows, tokens);
            System.out.printf(Locale.ROOT, "weights %.3f GB (%.2f B/param); learner peak %.3f GB above the baseline:"
                            + " %.2f bytes per base parameter; after the steps %.3f GB, %.2f B/param (baseline %.3f GB)%n",
                    (weights - before) / 1e9, (double) (weights - before) / params, (peak - before) / 1e9,
                    (double) (peak - before) / params, (after - before) / 1e9, (double) (after - before) / params,
                    before / 1e9);
            NDArray probe = m.ones(new Shape(4, 8), DataType.FLOAT16);
            try {
                NDArray y = ai.djl.nn.core.Linear.linear(probe, m.ones(new Shape(3, 8), DataType.FLOAT16))
                        .singletonOrThrow();
                System.out.println("f16 linear on the CPU: " + y.getDataType() + " " + y.toType(DataType.FLOAT32, false));
            } catch (RuntimeException e) {
                System.out.println("f16 linear on the CPU fails: " + e);
            }
        }
    }
}
