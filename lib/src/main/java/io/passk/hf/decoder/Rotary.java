package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings as Hugging Face applies them (the {@code rotate_half} convention):
 * dimension {@code i < d/2} of a head is paired with {@code i + d/2} and the pair is rotated by
 * {@code position * theta^(-2i/d)}; {@code x' = x * cos + rotate_half(x) * sin} with
 * {@code rotate_half([x1, x2]) = [-x2, x1]}.
 *
 * <p>The angles are computed as {@code transformers} computes them, in float32 (inverse
 * frequency, then one float32 product with the position), so that long positions get the angles
 * the model was trained with; cos and sin of those angles are then taken in double.
 */
public final class Rotary {
    private final int headDim;
    private final float[] inverseFrequency;

    public Rotary(int headDim, double theta) {
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim " + headDim + " is odd");
        }
        this.headDim = headDim;
        this.inverseFrequency = new float[headDim / 2];
        for (int i = 0; i < inverseFrequency.length; i++) {
            float exponent = (float) (2 * i) / (float) headDim;
            inverseFrequency[i] = 1.0f / (float) Math.pow(theta, exponent);
        }
    }

    /** cos and sin for each position, each of shape {@code (rows, 1, queries, headDim)}. */
    public NDArray[] cosSin(NDManager manager, long[] positions, int rows, int queries, DataType dtype) {
        if (positions.length != (long) rows * queries) {
            throw new IllegalArgumentException(positions.length + " positions for " + rows + " x " + queries);
        }
        int half = headDim / 2;
        double[] cos = new double[positions.length * headDim];
        double[] sin = new double[positions.length * headDim];
        for (int p = 0; p < positions.length; p++) {
            float pos = (float) positions[p];
            int base = p * headDim;
            for (int i = 0; i < half; i++) {
                float angle = inverseFrequency[i] * pos;
                double c = Math.cos(angle);
                double s = Math.sin(angle);
                cos[base + i] = c;
                cos[base + half + i] = c;
                sin[base + i] = s;
                sin[base + half + i] = s;
            }
        }
        Shape shape = new Shape(rows, 1, queries, headDim);
        return new NDArray[]{create(manager, cos, shape, dtype), create(manager, sin, shape, dtype)};
    }

    /** {@code x * cos + rotate_half(x) * sin} for {@code x (rows, heads, queries, headDim)}. */
    static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        NDList halves = x.split(2, x.getShape().dimension() - 1);
        NDArray rotated = halves.get(1).neg().concat(halves.get(0), -1);
        return x.mul(cos).add(rotated.mul(sin));
    }

    /** {@code values} as a FLOAT64 array, or rounded to FLOAT32 (the model's type decides). */
    static NDArray create(NDManager manager, double[] values, Shape shape, DataType dtype) {
        if (dtype == DataType.FLOAT64) {
            return manager.create(values, shape);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return manager.create(f, shape);
    }
}
