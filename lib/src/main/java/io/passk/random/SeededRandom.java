package io.passk.random;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Randomness as a pure function of ids. Every random choice in passk is keyed by
 * (run seed, epoch, problem_id, sample_idx[, step]) so that a retried Spark task, a different
 * partitioning or a resumed run draws exactly the same numbers. No shared mutable RNG.
 */
public final class SeededRandom {

    private SeededRandom() {
    }

    /** A stable 64-bit hash of a string (FNV-1a over UTF-8, then a SplitMix64 finaliser). */
    public static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** SplitMix64 finaliser: a bijective, well-avalanched 64-bit mix. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Combines keys in order into one 64-bit key; different orders give different keys. */
    public static long key(long... parts) {
        long h = 0x9e3779b97f4a7c15L;
        for (long p : parts) {
            h = mix(h ^ mix(p + 0x9e3779b97f4a7c15L));
        }
        return h;
    }

    /** The key of (seed, epoch, problem, index): the canonical coordinates of a random choice. */
    public static long key(long seed, long epoch, String problemId, long index) {
        return key(seed, epoch, hash(problemId), index);
    }

    /** A generator for one coordinate; callers draw from it locally and throw it away. */
    public static SplittableRandom of(long seed, long epoch, String problemId, long index) {
        return new SplittableRandom(key(seed, epoch, problemId, index));
    }

    /** A uniform double in [0,1) that is a pure function of its key. */
    public static double uniform(long key) {
        return (mix(key) >>> 11) * 0x1.0p-53;
    }
}
