package io.passk.cli;

import io.passk.BadInputException;
import io.passk.bench.SamplingBenchmark;
import io.passk.policy.EngineThreads;
import io.passk.policy.PolicyConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code passk bench sample}: decoding tokens/s with and without the KV cache, and GFLOP/s. Thin:
 * parses and validates the options, runs {@link SamplingBenchmark} and prints its figures
 * (progress on stderr, the figures on stdout).
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Time policy decoding with and without the KV cache at several response lengths,",
                "and the model's GFLOP/s against a large matrix product on the same engine."})
public final class SampleBenchCommand implements Callable<Integer> {

    @Mixin
    ModelShapeOptions shape = new ModelShapeOptions();

    public SampleBenchCommand() {
        // the benchmark's model is larger than the maze demo's, so that matrix products dominate
        shape.layers = 4;
        shape.width = 256;
        shape.heads = 8;
        shape.context = 128;
    }

    @Option(names = {"--batch-size", "--batch"}, defaultValue = "64", description = "Sequences decoded together (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--prompt-length", defaultValue = "16", description = "Prompt tokens (default ${DEFAULT-VALUE})")
    int promptLength;

    @Option(names = "--lengths", defaultValue = "16,32,64", split = ",",
            description = "Response lengths (default ${DEFAULT-VALUE})")
    List<Integer> lengths;

    @Option(names = "--matmul", defaultValue = "1024", description = "n of the n x n x n reference product (default ${DEFAULT-VALUE})")
    int matmul;

    @Option(names = {"--repeat", "--repeats"}, defaultValue = "3", description = "Timed repetitions, best kept (default ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--threads", defaultValue = "0", description = "PyTorch CPU threads; 0 = all cores (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--gpu", description = "Run on GPU 0 if the engine has one")
    boolean gpu;

    @Option(names = "--plot", description = "Also write a PNG of tokens/s against length to this file")
    String plot;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws java.io.IOException {
        int layers = shape.layers, width = shape.width, heads = shape.heads, context = shape.context;
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
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EngineThreads.configure(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        PolicyConfig cfg = new PolicyConfig(SamplingBenchmark.tokenizer().vocabSize(), context, layers, width, heads, 4, 1);
        SamplingBenchmark.Result r = SamplingBenchmark.run(new SamplingBenchmark.Spec(cfg, batch, promptLength,
                lengths.stream().mapToInt(Integer::intValue).toArray(), matmul, repeats),
                SamplingBenchmark.device(gpu), line -> {
                    err.println(line);
                    err.flush();
                });
        r.lines().forEach(out::println);
        out.flush();
        if (plot != null) {
            SamplingBenchmark.plot(r, java.nio.file.Path.of(plot));
            err.println("bench sample: plot " + plot);
        }
        return Passk.EXIT_OK;
    }
}
