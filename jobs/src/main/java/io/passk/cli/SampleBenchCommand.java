package io.passk.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.passk.BadInputException;
import io.passk.policy.EngineThreads;
import io.passk.policy.PolicyConfig;
import io.passk.policy.SamplingBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code passk bench sample}: decoding tokens/s with and without the KV cache, and GFLOP/s. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Time policy decoding with and without the KV cache at several response lengths,",
                "and the model's GFLOP/s against a large matrix product on the same engine."})
public final class SampleBenchCommand implements Callable<Integer> {

    @Option(names = "--layers", defaultValue = "4", description = "Transformer layers (default ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--width", defaultValue = "256", description = "Model width (default ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--heads", defaultValue = "8", description = "Attention heads (default ${DEFAULT-VALUE})")
    int heads;

    @Option(names = "--context", defaultValue = "256", description = "Context length (default ${DEFAULT-VALUE})")
    int context;

    @Option(names = "--batch", defaultValue = "64", description = "Sequences decoded together (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--prompt-length", defaultValue = "32", description = "Prompt tokens (default ${DEFAULT-VALUE})")
    int promptLength;

    @Option(names = "--lengths", defaultValue = "32,64,128", split = ",",
            description = "Response lengths (default ${DEFAULT-VALUE})")
    List<Integer> lengths;

    @Option(names = "--matmul", defaultValue = "1024", description = "n of the n x n x n reference product (default ${DEFAULT-VALUE})")
    int matmul;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed repetitions, best kept (default ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--threads", defaultValue = "0", description = "PyTorch CPU threads; 0 = all cores (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--gpu", description = "Run on GPU 0 if the engine has one")
    boolean gpu;

    @Override
    public Integer call() {
        if (layers < 1 || width < 1 || heads < 1 || batch < 1 || promptLength < 1 || matmul < 1 || repeats < 1
                || lengths.stream().anyMatch(l -> l < 1)) {
            throw new BadInputException("bench sample: sizes must be positive");
        }
        if (width % heads != 0) {
            throw new BadInputException("--width " + width + " is not a multiple of --heads " + heads);
        }
        int longest = lengths.stream().mapToInt(Integer::intValue).max().orElse(1);
        if (promptLength + 2 + longest > context) {
            throw new BadInputException("--prompt-length " + promptLength + " + longest length " + longest
                    + " + 2 exceeds --context " + context);
        }
        EngineThreads.configure(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        Device device = gpu && Engine.getInstance().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
        PolicyConfig cfg = new PolicyConfig(SamplingBenchmark.tokenizer().vocabSize(), context, layers, width, heads, 4, 1);
        System.err.printf("bench sample: %s, %d threads, %d layers x width %d, %,d weights, batch %d, prompt %d%n",
                device, EngineThreads.current(), layers, width, cfg.nonEmbeddingParameters(), batch, promptLength);
        SamplingBenchmark.Result r = SamplingBenchmark.run(new SamplingBenchmark.Spec(cfg, batch, promptLength,
                lengths.stream().mapToInt(Integer::intValue).toArray(), matmul, repeats), device, System.err);
        System.out.printf("device %s, %d threads; matmul %dx%d: %.1f GFLOP/s%n", r.device(), r.threads(), matmul,
                matmul, r.matmulGflops());
        System.out.printf("full forward %d x %d tokens: %.1f GFLOP/s (%.0f%% of matmul), %.0f tokens/s%n", batch,
                context, r.forwardGflops(), 100 * r.forwardGflops() / r.matmulGflops(), r.forwardTokensPerSecond());
        System.out.printf("%8s %9s %12s %10s %9s %9s%n", "length", "mode", "tokens/s", "ms/step", "GFLOP/s", "%matmul");
        for (SamplingBenchmark.Decode d : r.decodes()) {
            System.out.printf("%8d %9s %12.0f %10.2f %9.1f %8.0f%%%n", d.length(), d.kvCache() ? "kv-cache" : "no-cache",
                    d.tokensPerSecond(), d.msPerStep(), d.gflops(), 100 * d.gflops() / r.matmulGflops());
        }
        return Passk.EXIT_OK;
    }
}
