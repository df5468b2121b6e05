package io.passk.policy;

import ai.djl.Device;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Loaded policies ({@link PolicyModel}), one per (path, device) per JVM: a Spark executor loads a
 * checkpoint once and every task on it reuses it. Holds at most {@link #CAPACITY} policies
 * (training moves on to a new checkpoint each epoch); an evicted policy is closed when the last
 * task using it returns its {@link Lease}.
 *
 * <p>A LoRA adapter directory is cached apart, also {@link #CAPACITY} of them: its base model is
 * acquired here like any model directory (loaded once per JVM, {@link #loads()}) and held while the
 * adapter is cached, and only the small adapter is read per epoch ({@link #adapterLoads()}) and
 * attached to the shared base weights ({@link HfPolicy#withAdapter}).
 */
public final class PolicyCache {
    static final int CAPACITY = 2;
    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>(4, 0.75f, true);
    private static final Map<String, Entry> ADAPTERS = new LinkedHashMap<>(4, 0.75f, true);
    private static int loads;
    private static int adapterLoads;

    private PolicyCache() {
    }

    /** A policy in use; closing the lease returns it (it stays cached). */
    public static final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        public PolicyModel policy() {
            return entry.policy;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release(entry);
            }
        }
    }

    private static final class Entry {
        final PolicyModel policy;
        int users;
        boolean evicted;

        Entry(PolicyModel policy) {
            this.policy = policy;
        }
    }

    /**
     * The cached policy at {@code checkpoint} (a Hugging Face model directory or a LoRA adapter,
     * {@link PolicyModel#load}) on {@code device}, loading it on first use.
     */
    public static Lease acquire(Path checkpoint, Device device) {
        Path dir = checkpoint.toAbsolutePath().normalize();
        PolicySource source = PolicySource.of(dir);   // the path came over a Spark param: its kind is decided here
        if (source instanceof PolicySource.Adapter) {
            String key = dir + "@" + modified(dir.resolve(io.passk.hf.peft.AdapterDirectory.CONFIG)) + "/"
                    + modified(dir.resolve(io.passk.hf.peft.AdapterDirectory.WEIGHTS)) + "@" + device;
            return acquireAdapter(key, dir, device);
        }
        // checkpoints are immutable, but a path deleted and rewritten must not serve stale weights
        String written = modified(dir.resolve(io.passk.hf.DecoderConfig.FILE_NAME)) + "/"
                + modified(java.nio.file.Files.exists(dir.resolve(io.passk.hf.ModelDirectory.WEIGHTS))
                        ? dir.resolve(io.passk.hf.ModelDirectory.WEIGHTS)
                        : dir.resolve(io.passk.hf.safetensors.ShardedSafetensors.INDEX_NAME));
        String key = dir + "@" + written + "@" + device;
        return acquire(key, () -> source.load(device));
    }

    private static long modified(Path file) {
        try {
            return java.nio.file.Files.getLastModifiedTime(file).toMillis();
        } catch (java.io.IOException e) {
            throw new io.passk.BadInputException("checkpoint " + file.getParent() + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    static synchronized Lease acquire(String key, Supplier<? extends PolicyModel> loader) {
        Entry e = ENTRIES.get(key);
        if (e == null) {
            e = new Entry(loader.get());   // loading under the lock: concurrent tasks wait, load once
            loads++;
            put(ENTRIES, key, e);
        }
        e.users++;
        return new Lease(e);
    }

    /** The adapter at {@code dir} on its cached base (the base is acquired, and held until the adapter is closed). */
    private static synchronized Lease acquireAdapter(String key, Path dir, Device device) {
        Entry e = ADAPTERS.get(key);
        if (e == null) {
            io.passk.hf.peft.AdapterDirectory adapter = io.passk.hf.peft.AdapterDirectory.open(dir);
            Lease base = acquire(HfPolicy.baseOf(adapter), device);
            try {
                if (!(base.policy() instanceof HfPolicy hf)) {
                    throw new io.passk.BadInputException(dir + ": the adapter's base is not a Hugging Face model");
                }
                e = new Entry(hf.withAdapter(adapter, 0, base::close));
            } catch (RuntimeException ex) {
                base.close();
                throw ex;
            }
            adapterLoads++;
            put(ADAPTERS, key, e);
        }
        e.users++;
        return new Lease(e);
    }

    private static void put(Map<String, Entry> entries, String key, Entry e) {
        entries.put(key, e);
        while (entries.size() > CAPACITY) {
            var eldest = entries.entrySet().iterator().next();
            entries.remove(eldest.getKey());
            eldest.getValue().evicted = true;
            if (eldest.getValue().users == 0) {
                eldest.getValue().policy.close();
            }
        }
    }

    private static synchronized void release(Entry e) {
        e.users--;
        if (e.evicted && e.users == 0) {
            e.policy.close();
        }
    }

    /**
     * Whole-model loads (model directories, LoRA bases) since this JVM started
     * (tests check that tasks reuse a loaded policy).
     */
    public static synchronized int loads() {
        return loads;
    }

    /** LoRA adapter loads since this JVM started, each onto an already cached base ({@link #loads()} counts bases). */
    public static synchronized int adapterLoads() {
        return adapterLoads;
    }
}
