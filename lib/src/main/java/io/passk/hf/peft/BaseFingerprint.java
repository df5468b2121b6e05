package io.passk.hf.peft;

import io.passk.BadInputException;
import io.passk.hf.DecoderConfig;
import io.passk.hf.ModelDirectory;
import io.passk.hf.safetensors.DType;
import io.passk.hf.safetensors.HalfFloats;
import io.passk.hf.safetensors.SafetensorsFile;
import io.passk.hf.safetensors.ShardedSafetensors;
import io.passk.hf.safetensors.TensorInfo;
import io.passk.hf.safetensors.TensorSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What identifies the base model an adapter was trained on, recorded in
 * {@code passk_adapter.json} and compared before an adapter is used or merged: the decoder's
 * shape from {@code config.json} and {@code weightsSha256}, a SHA-256 over every weight's name,
 * shape and first {@link #SAMPLED_VALUES} values widened to F32 (little-endian bits), in name
 * order. Reading a few values per tensor keeps it cheap (milliseconds for a 7B model) while
 * telling apart two fine-tunes of one architecture, whose headers alone are identical. The
 * same weights stored as F32, as BF16 that widens to them, or in shards give the same
 * fingerprint; weights rounded to another dtype are another base.
 */
public record BaseFingerprint(String modelType, int vocabSize, int hiddenSize, int intermediateSize,
                              int numHiddenLayers, int numAttentionHeads, int numKeyValueHeads, int headDim,
                              String weightsSha256) {

    /** Values read from the start of each tensor. */
    public static final int SAMPLED_VALUES = 64;

    /** The fingerprint of the model directory {@code baseDir} (config.json and its weights). */
    public static BaseFingerprint of(Path baseDir) {
        DecoderConfig config = DecoderConfig.read(baseDir.resolve(DecoderConfig.FILE_NAME));
        try (TensorSource weights = openWeights(baseDir)) {
            return of(config, weights);
        }
    }

    /** The fingerprint of a decoder's config and weights. */
    public static BaseFingerprint of(DecoderConfig c, TensorSource weights) {
        return new BaseFingerprint(c.modelType().id(), c.vocabSize(), c.hiddenSize(), c.intermediateSize(),
                c.numHiddenLayers(), c.numAttentionHeads(), c.numKeyValueHeads(), c.headDim(), digest(weights));
    }

    /** The weights of a model directory: model.safetensors, else the shard index (as ModelDirectory picks). */
    static TensorSource openWeights(Path dir) {
        Path single = dir.resolve(ModelDirectory.WEIGHTS);
        if (Files.exists(single)) {
            return SafetensorsFile.open(single);
        }
        Path index = dir.resolve(ShardedSafetensors.INDEX_NAME);
        if (Files.exists(index)) {
            return ShardedSafetensors.open(index);
        }
        throw new BadInputException(dir + ": no " + ModelDirectory.WEIGHTS + " or " + ShardedSafetensors.INDEX_NAME
                + " (not a Hugging Face model directory)");
    }

    private static String digest(TensorSource weights) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Map<Path, FileChannel> channels = new HashMap<>();
        Map<Path, Long> dataStarts = new HashMap<>();
        try {
            for (String name : weights.names()) {
                TensorInfo info = weights.find(name).orElseThrow();
                sha.update((name + " " + info.shape() + "\n").getBytes(StandardCharsets.UTF_8));
                if (!info.dtype().readableAsFloat()) {
                    continue;
                }
                Path file = weights.fileOf(name);
                FileChannel ch = channels.get(file);
                if (ch == null) {
                    ch = FileChannel.open(file, StandardOpenOption.READ);
                    channels.put(file, ch);
                    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                    readFully(ch, len, 0);
                    dataStarts.put(file, 8 + len.getLong(0));
                }
                int n = (int) Math.min(SAMPLED_VALUES, info.numel());
                ByteBuffer raw = ByteBuffer.allocate(n * info.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, raw, dataStarts.get(file) + info.begin());
                raw.flip();
                ByteBuffer bits = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    float v = info.dtype() == DType.F32 ? raw.getFloat()
                            : info.dtype() == DType.BF16 ? HalfFloats.bf16ToFloat(raw.getShort())
                            : HalfFloats.f16ToFloat(raw.getShort());
                    bits.putInt(Float.floatToRawIntBits(v));
                }
                sha.update(bits.array());
            }
        } catch (IOException e) {
            throw new BadInputException("cannot read base weights for their fingerprint: " + e.getMessage(), e);
        } finally {
            for (FileChannel ch : channels.values()) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // read-only channel: nothing is lost
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    /** The fields as {@code passk_adapter.json} records them. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_type", modelType);
        m.put("vocab_size", vocabSize);
        m.put("hidden_size", hiddenSize);
        m.put("intermediate_size", intermediateSize);
        m.put("num_hidden_layers", numHiddenLayers);
        m.put("num_attention_heads", numAttentionHeads);
        m.put("num_key_value_heads", numKeyValueHeads);
        m.put("head_dim", headDim);
        m.put("weights_sha256", weightsSha256);
        return m;
    }

    /**
     * The first field in which {@code other} differs from this, as "key: this vs other", or
     * null when they are equal.
     */
    String firstDifference(BaseFingerprint other) {
        Map<String, Object> a = toJson();
        Map<String, Object> b = other.toJson();
        for (String key : a.keySet()) {
            if (!a.get(key).equals(b.get(key))) {
                return key + " " + a.get(key) + " (recorded) vs " + b.get(key);
            }
        }
        return null;
    }
}
