package io.passk.hf.safetensors;

import java.nio.file.Path;
import java.util.Optional;
import java.util.SortedSet;

/**
 * Named tensors read from one safetensors file or from the shards of a model. Values are
 * mapped from the file when read, never held by the source.
 */
public interface TensorSource extends AutoCloseable {

    /** Every tensor name, sorted. */
    SortedSet<String> names();

    /** The header entry of a tensor, if the source has one of that name. */
    Optional<TensorInfo> find(String name);

    /** The file that holds a tensor (for messages); the source itself when it has no such tensor. */
    Path fileOf(String name);

    /**
     * The tensor's values widened to F32 (exact for F32, F16 and BF16), row-major.
     *
     * @throws io.passk.BadInputException when there is no such tensor, its dtype is not a float
     *     type passk reads, or it has more elements than one Java array holds
     */
    float[] readFloats(String name);

    /** Releases the open files. */
    @Override
    void close();
}
