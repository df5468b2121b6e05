package io.passk.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A Spark standalone cluster on 127.0.0.1 made of separate JVMs, for integration tests: one
 * master and {@code workers} workers (1 core each), started from a minimal {@code SPARK_HOME}
 * (a {@code RELEASE} file and {@code jars/} linking Spark's jars from the local Maven
 * repository; workers launch executors from it). Applications go in through Spark's own
 * {@code org.apache.spark.deploy.SparkSubmit} in client mode, so the submitter JVM is the driver.
 *
 * <p>{@link #close()} stops every process this object started, their descendants (executors),
 * and any process whose command line names this cluster's private directory (executors orphaned
 * when their worker was killed), waiting for each to exit.
 */
public final class StandaloneCluster implements AutoCloseable {

    /** How long a daemon may take to come up on a loaded 2-core machine. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Path dir;
    private final Path sparkHome;
    private final List<String> addOpens;
    private final int masterPort;
    private final List<Process> started = new ArrayList<>();
    private final Set<ProcessHandle> seen = new LinkedHashSet<>();
    private final List<Process> workers = new ArrayList<>();
    private Process master;

    private StandaloneCluster(Path dir, List<String> sparkJars, List<String> addOpens) throws IOException {
        this.dir = dir;
        this.sparkHome = dir.resolve("spark-home");
        this.addOpens = addOpens;
        Path jars = Files.createDirectories(sparkHome.resolve("jars"));
        for (String jar : sparkJars) {
            Path target = Path.of(jar);
            Path link = jars.resolve(target.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, target);
            }
        }
        // AbstractCommandBuilder takes jars/ from a SPARK_HOME holding RELEASE (a distribution)
        Files.writeString(sparkHome.resolve("RELEASE"),
                "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
                        + " (passk integration test: links into the local Maven repository)\n");
        this.masterPort = freeLoopbackPort();
    }

    /** Starts a master and {@code workers} workers and waits until every worker has registered. */
    public static StandaloneCluster start(Path dir, List<String> sparkJars, List<String> addOpens, int workers,
                                          int workerMemoryMb) throws IOException {
        StandaloneCluster c = new StandaloneCluster(dir, sparkJars, addOpens);
        try {
            c.master = c.daemon("master", List.of("org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", Integer.toString(c.masterPort), "--webui-port", "0"));
            c.awaitLog(c.dir.resolve("master.log"), "I have been elected leader", START_TIMEOUT);
            for (int i = 0; i < workers; i++) {
                c.startWorker(workerMemoryMb);
            }
            return c;
        } catch (IOException | RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    public Path sparkHome() {
        return sparkHome;
    }

    /** Starts one more worker (1 core) and waits until the master has registered it. */
    public Process startWorker(int memoryMb) throws IOException {
        int n = workers.size() + 1;
        Path work = Files.createDirectories(dir.resolve("worker-" + n));
        Process w = daemon("worker-" + n, List.of("org.apache.spark.deploy.worker.Worker",
                "--host", "127.0.0.1", "--webui-port", "0", "--cores", "1", "--memory", memoryMb + "m",
                "--work-dir", work.toString(), masterUrl()));
        workers.add(w);
        awaitLog(dir.resolve("worker-" + n + ".log"), "Successfully registered with master", START_TIMEOUT);
        return w;
    }

    public List<Process> workers() {
        return List.copyOf(workers);
    }

    /** Executors (and anything else) a worker has launched and that still run. */
    public List<ProcessHandle> childrenOf(Process worker) {
        List<ProcessHandle> d = worker.descendants().toList();
        seen.addAll(d);
        return d;
    }

    /** kill -9 of a worker JVM (its executors notice the lost worker and exit on their own). */
    public void killWorker(Process worker) {
        childrenOf(worker);
        worker.destroyForcibly();
        waitFor(worker.toHandle());
    }

    /**
     * Starts {@code spark-submit} (client mode: this JVM is the driver) of {@code appJar} with
     * main class {@code mainClass}, stdout and stderr to {@code name.out} / {@code name.err}.
     */
    public Process submit(String name, Path appJar, String mainClass, Map<String, String> conf, List<String> appArgs)
            throws IOException {
        return submit(name, masterUrl(), appJar, mainClass, conf, appArgs);
    }

    /**
     * The same submission with another master, e.g. {@code local[2]}: local mode in a fresh JVM,
     * the reference the cluster's outputs are compared with.
     */
    public Process submit(String name, String master, Path appJar, String mainClass, Map<String, String> conf,
                          List<String> appArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit",
                "--master", master, "--deploy-mode", "client", "--class", mainClass,
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", addOpens)
                        + " -Dai.djl.offline=true -Djava.awt.headless=true"));
        conf.forEach((k, v) -> {
            cmd.add("--conf");
            cmd.add(k + "=" + v);
        });
        cmd.add(appJar.toString());
        cmd.addAll(appArgs);
        return jvm(name, "-Xmx1g", cmd, dir.resolve(name + ".out"), dir.resolve(name + ".err"));
    }

    public Path stdout(String name) {
        return dir.resolve(name + ".out");
    }

    public Path stderr(String name) {
        return dir.resolve(name + ".err");
    }

    private Process daemon(String name, List<String> mainAndArgs) throws IOException {
        Path log = dir.resolve(name + ".log");
        return jvm(name, "-Xmx256m", mainAndArgs, log, log);
    }

    private Process jvm(String name, String xmx, List<String> mainAndArgs, Path out, Path err) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(xmx);
        cmd.addAll(addOpens);
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Djava.awt.headless=true");
        // the master's REST submission server would listen on every interface
        cmd.add("-Dspark.master.rest.enabled=false");
        cmd.add("-cp");
        cmd.add(sparkHome.resolve("jars") + "/*");
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_LOCAL_HOSTNAME", "localhost");
        env.put("SPARK_CONF_DIR", Files.createDirectories(dir.resolve("conf")).toString());
        env.remove("SPARK_MASTER");
        if (out.equals(err)) {
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        } else {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        }
        Process p = pb.start();
        synchronized (started) {
            started.add(p);
        }
        return p;
    }

    /** Waits until {@code file} contains {@code text}; fails with the file's tail after {@code timeout}. */
    public void awaitLog(Path file, String text, Duration timeout) {
        await(() -> contains(file, text), timeout, () -> "'" + text + "' in " + file + ":\n" + tail(file, 40));
    }

    /** Polls {@code condition} every 50 ms. */
    public static void await(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what.get());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what.get());
            }
        }
    }

    public static boolean contains(Path file, String text) {
        try {
            return Files.exists(file) && Files.readString(file, StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    public static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no " + file + ")";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a submission to exit; kills it and fails after {@code timeout}. */
    public int waitFor(Process p, String name, Duration timeout) throws InterruptedException {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            stop(p.toHandle());
            throw new AssertionError(name + " did not finish in " + timeout.toSeconds() + " s; stderr:\n"
                    + tail(stderr(name), 60));
        }
        return p.exitValue();
    }

    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        synchronized (started) {
            for (Process p : started) {
                all.addAll(p.descendants().toList());
                all.add(p.toHandle());
            }
        }
        all.addAll(seen);
        // executors whose worker was killed are re-parented; their command line names our SPARK_HOME
        String marker = dir.toString();
        ProcessHandle self = ProcessHandle.current();
        ProcessHandle.allProcesses()
                .filter(h -> !h.equals(self) && h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .forEach(all::add);
        // submissions and executors first, the master last
        for (int i = all.size() - 1; i >= 0; i--) {
            stop(all.get(i));
        }
    }

    private static void stop(ProcessHandle h) {
        h.descendants().forEach(StandaloneCluster::kill);
        kill(h);
    }

    private static void kill(ProcessHandle h) {
        if (h.isAlive()) {
            h.destroyForcibly();
        }
        waitFor(h);
    }

    private static void waitFor(ProcessHandle h) {
        try {
            h.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // still reported by isAlive() in the test's leak check
        }
    }

    /** Whether any process this cluster started (or saw) is still alive. */
    public List<ProcessHandle> alive() {
        List<ProcessHandle> live = new ArrayList<>();
        synchronized (started) {
            started.forEach(p -> {
                if (p.isAlive()) {
                    live.add(p.toHandle());
                }
            });
        }
        seen.stream().filter(ProcessHandle::isAlive).forEach(live::add);
        String marker = dir.toString();
        ProcessHandle self = ProcessHandle.current();
        ProcessHandle.allProcesses()
                .filter(h -> !h.equals(self) && h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .forEach(live::add);
        return live;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static List<String> split(String flags) {
        return Arrays.stream(flags.trim().split("\\s+")).filter(f -> !f.isEmpty()).toList();
    }
}
