package io.passk.rollout.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The inference server an executor JVM starts for itself from {@code --rollout-server-command}:
 * one per JVM and template, started on first use and cached like the policy, on a free loopback
 * port, with {@code {model}} (the model directory), {@code {port}} and {@code {gpu}} (the GPU
 * address Spark granted the task, "" without one) filled in, shell-quoted, and run by
 * {@code /bin/sh -c}; {@code CUDA_VISIBLE_DEVICES} is that address. It is ready when
 * {@code GET /health} answers 200; its output goes to this JVM's log; it is stopped when the JVM
 * exits. Asked for another model directory (full fine-tuning moves to a new checkpoint each
 * epoch), it is stopped and started again on that directory. A LoRA adapter is loaded into it
 * at runtime instead ({@link #useAdapter}), the previous one unloaded.
 */
public final class ManagedServer {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedServer.class);
    private static final Map<String, ManagedServer> RUNNING = new HashMap<>();
    private static int starts;

    private final String template;
    private final Path model;
    private final int port;
    private final Process process;
    private final Deque<String> tail = new ArrayDeque<>();
    private String adapter;

    private ManagedServer(String template, Path model, int port, Process process) {
        this.template = template;
        this.model = model;
        this.port = port;
        this.process = process;
    }

    /**
     * The base URL of this JVM's server for {@code template} serving {@code model}, started (or
     * restarted on another model) and healthy.
     *
     * @param gpu the task's GPU address, or empty
     * @throws ServerUnavailableException the command exited, or /health did not answer in time
     */
    public static synchronized String acquire(String template, Path model, Optional<String> gpu,
                                              Duration healthTimeout, ServerClient health) {
        Path m = model.toAbsolutePath().normalize();
        ManagedServer s = RUNNING.get(template);
        if (s != null && (!s.model.equals(m) || !s.process.isAlive())) {
            LOG.info("rollout server on port {}: {}, restarting", s.port,
                    s.process.isAlive() ? "now serving " + m : "exited with " + s.process.exitValue());
            s.stop();
            RUNNING.remove(template);
            s = null;
        }
        if (s == null) {
            s = start(template, m, gpu, healthTimeout, health);
            RUNNING.put(template, s);
        }
        return s.url();
    }

    /**
     * Makes the adapter {@code name} at {@code path} the one the server at {@code url} (started
     * here) serves: loaded once, the previous one this JVM loaded unloaded.
     */
    public static synchronized void useAdapter(String url, String name, Path path, ServerClient client) {
        for (ManagedServer s : RUNNING.values()) {
            if (s.url().equals(url)) {
                if (name.equals(s.adapter)) {
                    return;
                }
                client.loadLora(url, name, path.toAbsolutePath().normalize().toString());
                if (s.adapter != null) {
                    client.unloadLora(url, s.adapter);
                }
                s.adapter = name;
                return;
            }
        }
        throw new IllegalStateException("no managed rollout server at " + url);
    }

    /** Servers started by this JVM so far (tests check that tasks reuse one). */
    public static synchronized int starts() {
        return starts;
    }

    /** Stops every server this JVM started (also done at JVM exit). */
    public static synchronized void stopAll() {
        RUNNING.values().forEach(ManagedServer::stop);
        RUNNING.clear();
    }

    /** The command line of {@code template} with its placeholders filled in (each value shell-quoted). */
    public static String command(String template, Path model, int port, Optional<String> gpu) {
        return template.replace("{model}", quote(model.toString())).replace("{port}", Integer.toString(port))
                .replace("{gpu}", quote(gpu.orElse("")));
    }

    /** {@code s} as one word of a {@code /bin/sh} command line. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private String url() {
        return "http://127.0.0.1:" + port;
    }

    private static ManagedServer start(String template, Path model, Optional<String> gpu, Duration healthTimeout,
                                       ServerClient health) {
        int port = freePort();
        String cmd = command(template, model, port, gpu);
        ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", cmd)).redirectErrorStream(true);
        gpu.ifPresent(g -> pb.environment().put("CUDA_VISIBLE_DEVICES", g));
        LOG.info("starting rollout server: {}{}", cmd, gpu.map(g -> " (CUDA_VISIBLE_DEVICES=" + g + ")").orElse(""));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ServerUnavailableException("rollout server command could not start: " + cmd, e);
        }
        starts++;
        ManagedServer s = new ManagedServer(template, model, port, p);
        Thread out = new Thread(s::pipeOutput, "passk-rollout-server-" + port);
        out.setDaemon(true);
        out.start();
        Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "passk-rollout-server-stop-" + port));
        long deadline = System.nanoTime() + healthTimeout.toNanos();
        String url = s.url();
        while (!health.healthy(url)) {
            if (!p.isAlive()) {
                throw new ServerUnavailableException("rollout server command exited with " + p.exitValue()
                        + " before " + url + "/health answered: " + cmd + "; last output: " + s.lastOutput(), null);
            }
            if (System.nanoTime() > deadline) {
                s.stop();
                throw new ServerUnavailableException("rollout server " + url + " did not answer /health within "
                        + healthTimeout.toSeconds() + " s (" + cmd + "); last output: " + s.lastOutput(), null);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                s.stop();
                throw new ServerUnavailableException("interrupted waiting for " + url, e);
            }
        }
        LOG.info("rollout server {} healthy, serving {}", url, model);
        return s;
    }

    private void pipeOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                LOG.info("[rollout server :{}] {}", port, line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 5) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process exited: nothing more to read
        }
    }

    private String lastOutput() {
        synchronized (tail) {
            return tail.isEmpty() ? "(none)" : String.join(" | ", tail);
        }
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port for a rollout server", e);
        }
    }
}
