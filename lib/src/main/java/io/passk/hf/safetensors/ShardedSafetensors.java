package io.passk.hf.safetensors;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.passk.BadInputException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The shards of one model as a single tensor source: {@code model.safetensors.index.json}'s
 * {@code weight_map} names, for each tensor, the file beside the index that holds it. Every
 * mapped tensor must be in its shard, and every tensor of a shard must be mapped to that shard
 * (so a tensor in two shards, or a shard with tensors the index does not know, is refused
 * rather than silently dropped).
 */
public final class ShardedSafetensors implements TensorSource {

    /** The file name Hugging Face gives the index of a sharded checkpoint. */
    public static final String INDEX_NAME = "model.safetensors.index.json";

    private final Path index;
    private final TreeMap<String, SafetensorsFile> byTensor;
    private final Map<String, SafetensorsFile> shards;

    private ShardedSafetensors(Path index, TreeMap<String, SafetensorsFile> byTensor,
                               Map<String, SafetensorsFile> shards) {
        this.index = index;
        this.byTensor = byTensor;
        this.shards = shards;
    }

    /** Opens the index and every shard it names, checking each shard's header. */
    public static ShardedSafetensors open(Path index) {
        Map<String, String> weightMap = readWeightMap(index);
        Path dir = index.toAbsolutePath().getParent();
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        TreeMap<String, SafetensorsFile> byTensor = new TreeMap<>();
        try {
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                String shardName = e.getValue();
                SafetensorsFile shard = shards.get(shardName);
                if (shard == null) {
                    Path shardPath = dir.resolve(shardName).normalize();
                    if (!shardPath.startsWith(dir) || shardPath.equals(dir)) {
                        throw new BadInputException(index + ": weight_map puts tensor '" + e.getKey()
                                + "' in '" + shardName + "', which is not a file beside the index");
                    }
                    if (!Files.isRegularFile(shardPath)) {
                        throw new BadInputException(index + ": weight_map puts tensor '" + e.getKey()
                                + "' in shard " + shardPath + ", which does not exist");
                    }
                    shard = SafetensorsFile.open(shardPath);
                    shards.put(shardName, shard);
                }
                if (shard.find(e.getKey()).isEmpty()) {
                    throw new BadInputException(shard.path() + ": no tensor '" + e.getKey() + "', which "
                            + index.getFileName() + " maps to this shard");
                }
                byTensor.put(e.getKey(), shard);
            }
            for (SafetensorsFile shard : shards.values()) {
                for (String name : shard.names()) {
                    if (byTensor.get(name) != shard) {
                        throw new BadInputException(shard.path() + ": tensor '" + name + "' is not mapped to this shard by "
                                + index.getFileName() + (byTensor.containsKey(name) ? " (it maps it to another shard)" : ""));
                    }
                }
            }
        } catch (RuntimeException e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
        return new ShardedSafetensors(index, byTensor, Collections.unmodifiableMap(shards));
    }

    private static Map<String, String> readWeightMap(Path index) {
        JsonElement root = JsonErrors.readStrict(index);
        JsonElement map = root.isJsonObject() ? root.getAsJsonObject().get("weight_map") : null;
        if (map == null || !map.isJsonObject()) {
            throw new BadInputException(index + ": no weight_map object (tensor name -> shard file)");
        }
        Map<String, String> weightMap = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : ((JsonObject) map).entrySet()) {
            JsonElement v = e.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw new BadInputException(index + ": weight_map entry of tensor '" + e.getKey() + "' is not a file name");
            }
            weightMap.put(e.getKey(), v.getAsString());
        }
        if (weightMap.isEmpty()) {
            throw new BadInputException(index + ": weight_map is empty");
        }
        return weightMap;
    }

    /**
     * Writes {@code tensors} as Hugging Face does in {@code save_pretrained}: one
     * {@code model.safetensors} when they fit in {@code maxShardBytes}, else shards
     * {@code model-0000i-of-0000n.safetensors} filled in name order (a new shard starts when the
     * next tensor would overflow the current one; a tensor larger than the limit has a shard of
     * its own) and {@code model.safetensors.index.json} ({@code metadata.total_size}, the data
     * bytes, and a sorted {@code weight_map}, indented by 2 as {@code json.dumps(indent=2,
     * sort_keys=True)} writes it). Each file is written atomically; making the directory as a
     * whole appear at once is the caller's part.
     *
     * @return the files written, index last
     */
    public static List<Path> write(Path dir, Map<String, FloatTensor> tensors, DType dtype, long maxShardBytes) {
        TreeMap<String, FloatTensor> sorted = new TreeMap<>(tensors);
        List<TreeMap<String, FloatTensor>> shards = new ArrayList<>();
        long inShard = 0;
        long total = 0;
        for (Map.Entry<String, FloatTensor> e : sorted.entrySet()) {
            long bytes = (long) e.getValue().values().length * dtype.bytes();
            if (shards.isEmpty() || (inShard > 0 && inShard + bytes > maxShardBytes)) {
                shards.add(new TreeMap<>());
                inShard = 0;
            }
            shards.get(shards.size() - 1).put(e.getKey(), e.getValue());
            inShard += bytes;
            total += bytes;
        }
        if (shards.size() <= 1) {
            Path single = dir.resolve("model.safetensors");
            SafetensorsWriter.write(single, sorted, dtype, SafetensorsWriter.PT_METADATA);
            return List.of(single);
        }
        List<Path> written = new ArrayList<>();
        TreeMap<String, String> weightMap = new TreeMap<>();
        for (int s = 0; s < shards.size(); s++) {
            String name = String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", s + 1, shards.size());
            SafetensorsWriter.write(dir.resolve(name), shards.get(s), dtype, SafetensorsWriter.PT_METADATA);
            shards.get(s).keySet().forEach(t -> weightMap.put(t, name));
            written.add(dir.resolve(name));
        }
        StringBuilder json = new StringBuilder("{\n  \"metadata\": {\n    \"total_size\": ").append(total)
                .append("\n  },\n  \"weight_map\": {");
        String sep = "\n";
        for (Map.Entry<String, String> e : weightMap.entrySet()) {
            json.append(sep).append("    ").append(SafetensorsWriter.quote(e.getKey())).append(": ")
                    .append(SafetensorsWriter.quote(e.getValue()));
            sep = ",\n";
        }
        json.append("\n  }\n}\n");
        Path index = dir.resolve(INDEX_NAME);
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        SafetensorsWriter.atomically(index, out -> SafetensorsWriter.writeFully(out, ByteBuffer.wrap(bytes)));
        written.add(index);
        return List.copyOf(written);
    }

    /** The index file. */
    public Path index() {
        return index;
    }

    /** The shard files by the name the index gives them, in first-mapped order. */
    public Map<String, SafetensorsFile> shards() {
        return shards;
    }

    @Override
    public SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(byTensor.keySet()));
    }

    @Override
    public Optional<TensorInfo> find(String name) {
        SafetensorsFile shard = byTensor.get(name);
        return shard == null ? Optional.empty() : shard.find(name);
    }

    @Override
    public Path fileOf(String name) {
        SafetensorsFile shard = byTensor.get(name);
        return shard == null ? index : shard.path();
    }

    @Override
    public float[] readFloats(String name) {
        SafetensorsFile shard = byTensor.get(name);
        if (shard == null) {
            throw new BadInputException(index + ": weight_map has no tensor '" + name + "'");
        }
        return shard.readFloats(name);
    }

    @Override
    public void close() {
        shards.values().forEach(SafetensorsFile::close);
    }
}
