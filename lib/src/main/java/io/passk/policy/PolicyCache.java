package io.passk.policy;

import ai.djl.Device;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Loaded policies of either kind ({@link PolicyModel}), one per (path, device) per JVM: a Spark executor loads a
 * checkpoint once and every task on it reuses it. Holds at most {@link #CAPACITY} policies
 * (training moves on to a new checkpoint each epoch); an evicted policy is closed when the last
 * task using it returns its {@link Lease}.
 */
public final class PolicyCache {
    static final int CAPACITY = 2;
    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>(4, 0.75f, true);
    private static int loads;

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
     * The cached policy at {@code checkpoint} (a passk checkpoint or a Hugging Face model
     * directory, {@link PolicyModel#load}) on {@code device}, loading it on first use.
     */
    public static Lease acquire(Path checkpoint, Device device) {
        Path dir = checkpoint.toAbsolutePath().normalize();
        // checkpoints are immutable, but a path deleted and rewritten must not serve stale weights
        boolean hf = PolicyModel.isHuggingFace(dir);
        String written = hf ? modified(dir.resolve(io.passk.hf.DecoderConfig.FILE_NAME)) + "/"
                + modified(java.nio.file.Files.exists(dir.resolve(io.passk.hf.ModelDirectory.WEIGHTS))
                        ? dir.resolve(io.passk.hf.ModelDirectory.WEIGHTS)
                        : dir.resolve(io.passk.hf.safetensors.ShardedSafetensors.INDEX_NAME))
                : Long.toString(modified(dir.resolve(Checkpoint.META)));
        String key = dir + "@" + written + "@" + device;
        return acquire(key, () -> PolicyModel.load(dir, device));
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
            ENTRIES.put(key, e);
            while (ENTRIES.size() > CAPACITY) {
                var eldest = ENTRIES.entrySet().iterator().next();
                ENTRIES.remove(eldest.getKey());
                eldest.getValue().evicted = true;
                if (eldest.getValue().users == 0) {
                    eldest.getValue().policy.close();
                }
            }
        }
        e.users++;
        return new Lease(e);
    }

    private static synchronized void release(Entry e) {
        e.users--;
        if (e.evicted && e.users == 0) {
            e.policy.close();
        }
    }

    /** Checkpoint loads since this JVM started (tests check that tasks reuse a loaded policy). */
    public static synchronized int loads() {
        return loads;
    }
}
