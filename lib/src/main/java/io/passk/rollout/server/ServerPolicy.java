package io.passk.rollout.server;

import io.passk.hf.peft.AdapterDirectory;
import io.passk.policy.HfPolicy;
import io.passk.policy.PolicyModel;
import io.passk.policy.PolicyText;
import io.passk.random.SeededRandom;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which server and which served model sample the policy at a path, decided once per task (and
 * on the driver, for servers someone else runs):
 * <ul>
 *   <li>a LoRA adapter directory is served as a runtime adapter named {@link #adapterName}
 *       (the run and the epoch's directory, plus a hash of its path and write time, so a
 *       rewritten directory is a new name): external servers get it from the driver before the
 *       rollouts ({@link #prepare}), a managed server from its executor ({@link ManagedServer#useAdapter});</li>
 *   <li>a model directory is served as the base model: a managed server is (re)started on it,
 *       external servers must already serve it; its name is {@code --rollout-model} or the
 *       {@code /v1/models} entry without a parent.</li>
 * </ul>
 */
public final class ServerPolicy {
    /** Milliseconds before the first retry. */
    static final long BACKOFF_MILLIS = 500;
    private static final Map<String, PolicyText> TEXTS = new ConcurrentHashMap<>();
    private static final Map<String, String> BASE_NAMES = new ConcurrentHashMap<>();
    /** Adapter the driver last loaded into the external servers, by server list. */
    private static final Map<List<String>, String> LOADED = new ConcurrentHashMap<>();

    private ServerPolicy() {
    }

    /** A client for {@code cfg}'s servers (or the managed {@code url}), starting at server {@code primary}. */
    public static ServerClient client(RolloutConfig cfg, List<String> urls, int primary) {
        return new ServerClient(urls, primary, Duration.ofSeconds(cfg.requestTimeoutS()), cfg.retries(), BACKOFF_MILLIS);
    }

    /**
     * The adapter name of the adapter directory {@code dir}: {@code RUN-DIR-HASH} where RUN is the
     * run directory's name (the directory above {@code checkpoints/}) and DIR the epoch's
     * directory, characters outside {@code [A-Za-z0-9._=-]} replaced by '_'.
     */
    public static String adapterName(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        Path parent = d.getParent();
        Path run = parent != null && "checkpoints".equals(String.valueOf(parent.getFileName())) && parent.getParent() != null
                ? parent.getParent() : parent;
        String runName = run == null || run.getFileName() == null ? "" : run.getFileName().toString() + "-";
        long written;
        try {
            written = Files.getLastModifiedTime(d.resolve(AdapterDirectory.WEIGHTS)).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException("adapter " + d + " cannot be read", e);
        }
        String hash = Long.toHexString(SeededRandom.key(SeededRandom.hash(d.toString()), written)).substring(0, 8);
        return (runName + d.getFileName() + "-" + hash).replaceAll("[^A-Za-z0-9._=-]", "_");
    }

    /**
     * Driver side, before a stage samples {@code policyPath} from external servers: an adapter is
     * loaded on every server (and the one loaded before it unloaded); a named model is checked
     * to be served. Managed servers are prepared by their executors.
     *
     * @throws ServerRejectedException a server refusing the adapter or not serving the model (exit 2)
     */
    public static void prepare(RolloutConfig cfg, String policyPath) {
        if (!cfg.isServer() || cfg.isManaged()) {
            return;
        }
        Path dir = Path.of(policyPath);
        ServerClient client = client(cfg, cfg.servers(), 0);
        if ((io.passk.policy.PolicySource.of(dir) instanceof io.passk.policy.PolicySource.Adapter)) {
            String name = adapterName(dir);
            String before = LOADED.get(cfg.servers());
            if (name.equals(before)) {
                return;
            }
            for (String url : cfg.servers()) {
                client.loadLora(url, name, dir.toAbsolutePath().normalize().toString());
            }
            if (before != null) {
                for (String url : cfg.servers()) {
                    client.unloadLora(url, before);
                }
            }
            LOADED.put(cfg.servers(), name);
        } else if (!cfg.model().isEmpty()) {
            for (String url : cfg.servers()) {
                if (client.models(url).stream().noneMatch(m -> m.id().equals(cfg.model()))) {
                    throw new ServerRejectedException(url, cfg.model(), 404, "The model `" + cfg.model()
                            + "` does not exist (GET /v1/models lists "
                            + client.models(url).stream().map(ModelCard::id).toList() + ")");
                }
            }
        }
    }

    /**
     * Executor side: the sampler of a Spark task for the policy at {@code policyPath}, its text
     * side cached per JVM, its server started when managed.
     */
    public static ServerSampler open(RolloutConfig cfg, String policyPath, int partition) {
        Path dir = Path.of(policyPath).toAbsolutePath().normalize();
        PolicyText text = TEXTS.computeIfAbsent(textKey(dir), k -> PolicyText.open(dir));
        boolean adapter = (io.passk.policy.PolicySource.of(dir) instanceof io.passk.policy.PolicySource.Adapter);
        List<String> urls;
        ServerClient client;
        if (cfg.isManaged()) {
            Path served = adapter ? HfPolicy.baseOf(AdapterDirectory.open(dir)) : dir;
            ServerClient probe = client(cfg, List.of("http://127.0.0.1:1"), 0);
            String url = ManagedServer.acquire(cfg.serverCommand(), served, taskGpu(),
                    Duration.ofSeconds(cfg.healthTimeoutS()), probe);
            urls = List.of(url);
            client = client(cfg, urls, 0);
            if (adapter) {
                ManagedServer.useAdapter(url, adapterName(dir), dir, client);
            }
        } else {
            urls = new ArrayList<>(cfg.servers());
            client = client(cfg, urls, partition);
        }
        String model;
        if (adapter) {
            model = adapterName(dir);
        } else if (!cfg.model().isEmpty()) {
            model = cfg.model();
        } else {
            String url = urls.get(Math.floorMod(partition, urls.size()));
            model = BASE_NAMES.computeIfAbsent(url + " " + dir, k -> client.baseModel(url));
        }
        return new ServerSampler(client, model, text, cfg.concurrency());
    }

    private static String textKey(Path dir) {
        Path file = (io.passk.policy.PolicySource.of(dir) instanceof io.passk.policy.PolicySource.Adapter) ? dir.resolve(AdapterDirectory.CONFIG) : dir.resolve("tokenizer.json");
        try {
            return dir + "@" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return dir.toString();
        }
    }

    /** The first GPU address Spark granted the running task, if any. */
    static Optional<String> taskGpu() {
        TaskContext tc = TaskContext.get();
        if (tc == null || tc.resourcesJMap() == null) {
            return Optional.empty();
        }
        ResourceInformation gpu = tc.resourcesJMap().get("gpu");
        return gpu == null || gpu.addresses().length == 0 ? Optional.empty() : Optional.of(gpu.addresses()[0]);
    }
}
