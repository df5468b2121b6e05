package io.passk.cli;

import io.passk.BadInputException;
import io.passk.serve.CompletionServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code passk serve}: a Hugging Face policy behind vLLM's OpenAI-compatible completions API
 * ({@link CompletionServer}) until the process is stopped.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a Hugging Face model directory on passk's decoder with the subset of vLLM's"
                + " OpenAI-compatible API rollouts use: /v1/completions, /v1/models, /health,"
                + " /v1/load_lora_adapter, /v1/unload_lora_adapter.")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--policy", required = true, description = "Hugging Face model directory to serve")
    Path policy;

    @Option(names = "--port", defaultValue = "8000", description = "TCP port; 0 = any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "address to bind; anything but loopback exposes the server (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--served-model-name", description = "the base model's name in /v1/models (default: --policy as given)")
    String name;

    @Option(names = "--max-batch", defaultValue = "64", description = "completions decoded together at most"
            + " (default: ${DEFAULT-VALUE})")
    int maxBatch;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new BadInputException("--port " + port + ": expected 0..65535");
        }
        if (maxBatch < 1) {
            throw new BadInputException("--max-batch must be >= 1, got " + maxBatch);
        }
        String served = name != null ? name : policy.toString();
        CompletionServer server = CompletionServer.open(policy, served, new InetSocketAddress(host, port), maxBatch);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        spec.commandLine().getErr().printf("passk serve: %s on http://%s:%d%n", served, host, server.port());
        spec.commandLine().getErr().flush();
        stopped.await();
        return Passk.EXIT_OK;
    }
}
