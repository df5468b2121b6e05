package io.passk.cli;

import io.passk.BadInputException;
import io.passk.bench.SamplingBenchmark;
import io.passk.hf.ModelDirectory;
import io.passk.hf.decoder.CausalLm;
import io.passk.bench.DecodeBenchmark;
import io.passk.policy.CharacterModel;
import io.passk.policy.EngineThreads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code passk bench sample}: decoding tokens/s with and without the KV cache, and GFLOP/s. Thin:
 * parses and validates the options, runs {@link SamplingBenchmark} and prints its figures
 * (progress on stderr, the figures on stdout).
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Time policy decoding with and without the KV cache at several response lengths,"
                + " and the model's GFLOP/s against a large matrix product on the same engine.")
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

    @Option(names = "--policy", description = {"A Hugging Face model directory: time its KV-cache decoding (batch",
            "--batch-size, --prompt-length random prompt tokens, each of --lengths new tokens) against the same-shaped",
            "matmul, instead of a character model of --layers/--width/--heads"})
    String policy;

    @Option(names = "--plot", description = "Also write a PNG of tokens/s against length to this file")
    String plot;

    @Option(names = "--rollout-engine", description = {"server: time rollouts through passk serve over HTTP against",
            "the in-JVM decoder on a Qwen2.5-0.5B-shaped model (--layers layers, --vocab tokens, random weights;",
            "--batch-size samples of one --prompt-length prompt, the first of --lengths new tokens), then the client",
            "alone against a server that answers at once"})
    String rolloutEngine;

    @Option(names = "--vocab", description = {"Vocabulary of the random model: --rollout-engine server (default 8192),",
            "--peer torch (default 151936, Qwen2.5's)"})
    Integer vocab;

    @Option(names = "--peer", description = {"torch: time prefill, decoding and a learner step against a plain eager PyTorch",
            "Qwen2 forward (the qwen2_torch_peer.py beside io.passk.bench.TorchPeerBenchmark, run by --peer-python) on",
            "the same files: --policy DIR (qwen2, one safetensors file), else a random Qwen2.5-0.5B-shaped model of",
            "--layers layers; --batch-size prompts of --prompt-length tokens, the first of --lengths new tokens, greedy;",
            "--threads threads on both sides (default 1 here); --repeat alternations of the two sides"})
    String peer;

    @Option(names = "--peer-python", defaultValue = "/usr/bin/python3",
            description = "--peer torch: the Python with torch and numpy (default ${DEFAULT-VALUE})")
    String peerPython;

    @Option(names = "--profile", description = {"--peer torch: also profile one Java prefill with PyTorch's profiler:",
            "its Chrome trace to this file, its ops by self time printed"})
    String profile;

    @Option(names = "--learner-rows", defaultValue = "16", description = "--peer torch: learner rows (default ${DEFAULT-VALUE})")
    int learnerRows;

    @Option(names = "--learner-prompt-length", defaultValue = "168",
            description = "--peer torch: learner prompt tokens per row (default ${DEFAULT-VALUE})")
    int learnerPrompt;

    @Option(names = "--learner-response-length", defaultValue = "64",
            description = "--peer torch: learner response tokens per row (default ${DEFAULT-VALUE})")
    int learnerResponse;

    @Option(names = "--learner-steps", defaultValue = "3",
            description = "--peer torch: learner steps per run, the first untimed; 0 skips the learner (default ${DEFAULT-VALUE})")
    int learnerSteps;

    @Option(names = "--client-requests", defaultValue = "20000",
            description = "--rollout-engine server: completions the client sends to the instant stand-in (default ${DEFAULT-VALUE})")
    int clientRequests;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws java.io.IOException {
        int layers = shape.layers, width = shape.width, heads = shape.heads, context = shape.context;
        if (layers < 1 || width < 1 || heads < 1 || batch < 1 || promptLength < 1 || matmul < 1 || repeats < 1
                || lengths.stream().anyMatch(l -> l < 1)) {
            throw new BadInputException("bench sample: sizes must be positive");
        }
        if (profile != null && !"torch".equals(peer)) {
            throw new BadInputException("--profile profiles the prefill that --peer torch times; add --peer torch");
        }
        if (rolloutEngine != null) {
            if (!rolloutEngine.equals("server")) {
                throw new BadInputException("--rollout-engine " + rolloutEngine + ": bench sample compares the server"
                        + " engine with the in-JVM decoder; expected server");
            }
            int vocab = this.vocab == null ? 8192 : this.vocab;
            if (vocab < 4 || clientRequests < 1) {
                throw new BadInputException("--vocab must be >= 4 and --client-requests >= 1");
            }
            EngineThreads.configure(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
            java.nio.file.Path work = java.nio.file.Files.createTempDirectory("passk-bench-server");
            PrintWriter err = spec.commandLine().getErr();
            io.passk.bench.ServerSamplingBenchmark.Result r;
            try {
                r = io.passk.bench.ServerSamplingBenchmark.run(new io.passk.bench.ServerSamplingBenchmark.Spec(layers,
                        vocab, batch, promptLength, lengths.get(0), repeats, clientRequests, batch), work, line -> {
                            err.println(line);
                            err.flush();
                        });
            } finally {
                try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(work)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
            r.lines().forEach(spec.commandLine().getOut()::println);
            spec.commandLine().getOut().flush();
            return Passk.EXIT_OK;
        }
        if (peer != null) {
            return benchAgainstPeer(spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        if (policy != null) {   // the directory's shape, not the shape options
            EngineThreads.configure(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
            return benchModelDirectory(spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        if (width % heads != 0 || (width / heads) % 2 != 0) {
            throw new BadInputException("--width " + width + " is not --heads " + heads
                    + " times an even head size (rotary embeddings turn pairs)");
        }
        int longest = lengths.stream().mapToInt(Integer::intValue).max().orElse(1);
        if (promptLength + 1 + longest > context) {
            throw new BadInputException("--prompt-length " + promptLength + " + longest length " + longest
                    + " + 1 exceeds --context " + context);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EngineThreads.configure(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        CharacterModel.Shape cfg = new CharacterModel.Shape(layers, width, heads, context);
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

    /** {@code --peer torch}: {@link io.passk.bench.TorchPeerBenchmark} on --policy DIR or a random model. */
    private int benchAgainstPeer(PrintWriter out, PrintWriter err) throws java.io.IOException {
        if (!peer.equals("torch")) {
            throw new BadInputException("--peer " + peer + ": the one peer is torch");
        }
        if (learnerRows < 1 || learnerPrompt < 1 || learnerResponse < 1 || learnerSteps < 0) {
            throw new BadInputException("--learner-rows, --learner-prompt-length and --learner-response-length must be"
                    + " positive, --learner-steps >= 0");
        }
        if (plot != null || gpu) {
            throw new BadInputException("--peer torch runs on the CPU and draws no plot");
        }
        if (profile != null) {
            java.nio.file.Path parent = java.nio.file.Path.of(profile).toAbsolutePath().getParent();
            if (!java.nio.file.Files.isDirectory(parent) || !java.nio.file.Files.isWritable(parent)) {
                throw new BadInputException("--profile " + profile + ": " + parent + " is not a writable directory");
            }
        }
        int vocab = this.vocab == null ? 151936 : this.vocab;
        if (vocab < 4) {
            throw new BadInputException("--vocab must be >= 4");
        }
        if (!java.nio.file.Files.isExecutable(java.nio.file.Path.of(peerPython))) {
            throw new BadInputException("--peer-python " + peerPython + ": not an executable (the peer needs a Python"
                    + " with torch and numpy, e.g. Debian's python3-torch)");
        }
        if (policy != null && (!(io.passk.policy.PolicySource.of(java.nio.file.Path.of(policy))
                instanceof io.passk.policy.PolicySource.HuggingFace) || !ModelDirectory.isModelDirectory(java.nio.file.Path.of(policy)))) {
            throw new BadInputException("--policy " + policy + ": not a Hugging Face model directory");
        }
        int threadCount = threads > 0 ? threads : 1;
        java.nio.file.Path work = java.nio.file.Files.createTempDirectory("passk-bench-peer");
        try {
            java.nio.file.Path script = io.passk.bench.TorchPeerBenchmark.extractScript(work);
            java.nio.file.Path dir;
            if (policy != null) {
                dir = java.nio.file.Path.of(policy).toAbsolutePath().normalize();
            } else {
                dir = work.resolve("model");
                err.printf(Locale.ROOT, "bench sample: writing a random Qwen2.5-0.5B-shaped model, %d layers, vocabulary"
                        + " %d, to %s%n", shape.layers, vocab, dir);
                err.flush();
                io.passk.bench.TorchPeerBenchmark.writeRandomModel(peerPython, script, dir, shape.layers, vocab, 1);
            }
            io.passk.bench.TorchPeerBenchmark.Result r = io.passk.bench.TorchPeerBenchmark.run(
                    new io.passk.bench.TorchPeerBenchmark.Spec(threadCount, batch, promptLength, lengths.get(0),
                            learnerRows, learnerPrompt, learnerResponse, learnerSteps, 1e-5, repeats, 1),
                    dir, peerPython, script, work, line -> {
                        err.println(line);
                        err.flush();
                    });
            io.passk.bench.TorchPeerBenchmark.lines(r).forEach(out::println);
            out.flush();
            if (profile != null) {
                io.passk.bench.TorchPeerBenchmark.profilePrefill(r.spec(), dir, java.nio.file.Path.of(profile)
                        .toAbsolutePath()).forEach(out::println);
                out.flush();
            }
        } finally {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return Passk.EXIT_OK;
    }

    /** {@code --policy DIR}: {@link DecodeBenchmark} of the directory's decoder at each length. */
    private int benchModelDirectory(PrintWriter out, PrintWriter err) {
        java.nio.file.Path dir = java.nio.file.Path.of(policy);
        if (!(io.passk.policy.PolicySource.of(dir) instanceof io.passk.policy.PolicySource.HuggingFace)
                || !ModelDirectory.isModelDirectory(dir)) {
            throw new BadInputException("--policy " + policy + ": not a Hugging Face model directory (config.json and"
                    + " model.safetensors); the character model is benchmarked by its shape options");
        }
        if (plot != null) {
            throw new BadInputException("--plot is for the character model's benchmark, not --policy");
        }
        ai.djl.Device device = SamplingBenchmark.device(gpu);
        try (ModelDirectory md = ModelDirectory.open(dir);
             ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager(device)) {
            int limit = md.config().maxPositionEmbeddings();
            int longest = lengths.stream().mapToInt(Integer::intValue).max().orElse(1);
            if (promptLength + longest > limit) {
                throw new BadInputException("--prompt-length " + promptLength + " + longest length " + longest
                        + " exceeds max_position_embeddings " + limit + " of " + md.path());
            }
            CausalLm model = CausalLm.load(md, manager, ai.djl.ndarray.types.DataType.FLOAT32);
            err.printf(Locale.ROOT, "bench sample: %s (%s, %d layers, hidden %d) on %s%n", md.path(),
                    md.config().modelType(), md.config().numHiddenLayers(), md.config().hiddenSize(), device);
            err.flush();
            out.printf(Locale.ROOT, "%6s %7s %7s %10s %12s %13s %13s %9s%n", "batch", "prompt", "tokens",
                    "prefill_s", "tokens_per_s", "decode_gflops", "matmul_gflops", "fraction");
            for (int len : lengths) {
                DecodeBenchmark.Result best = null;
                for (int rep = 0; rep < repeats; rep++) {
                    DecodeBenchmark.Result r = DecodeBenchmark.run(model, manager, batch, promptLength, len,
                            rep == 0 ? Math.min(4, len) : 0, 1);
                    if (best == null || r.tokensPerSecond() > best.tokensPerSecond()) {
                        best = r;
                    }
                }
                out.printf(Locale.ROOT, "%6d %7d %7d %10.4f %12.1f %13.2f %13.2f %9.3f%n", best.batch(),
                        best.promptTokens(), best.newTokens(), best.prefillSeconds(), best.tokensPerSecond(),
                        best.decodeGflops(), best.matmulGflops(), best.fractionOfMatmul());
            }
            out.flush();
        }
        return Passk.EXIT_OK;
    }
}
