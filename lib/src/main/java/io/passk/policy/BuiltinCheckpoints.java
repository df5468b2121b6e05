package io.passk.policy;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.BadInputException;
import io.passk.fs.AtomicOutput;
import io.passk.hf.DecoderConfig;
import io.passk.hf.GenerationConfig;
import io.passk.hf.ModelDirectory;
import io.passk.hf.TokenizerFiles;
import io.passk.hf.safetensors.DType;
import io.passk.hf.safetensors.FloatTensor;
import io.passk.hf.safetensors.SafetensorsWriter;
import io.passk.progress.ProgressListener;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Old built-in character-model checkpoints (the format passk wrote before its one decoder:
 * {@code config.json} with the built-in model's shape, {@code tokenizer.json} with
 * {@code specials} and {@code alphabet}, {@code weights.params}, {@code checkpoint.json}),
 * read without the old model code and converted, exactly, into a standard Hugging Face
 * {@code gpt2} model directory ({@code passk export --from-builtin CKPT --out DIR}).
 *
 * <h2>Reading {@code weights.params}</h2>
 * The file is DJL 0.36's {@code AbstractBlock.saveParameters} of the old block tree, read here
 * field by field ({@link #readParameters}). Each block writes its version byte, its metadata,
 * its own parameters, then its children in insertion order:
 * <ul>
 *   <li>a plain block (the model, each layer, its attention and MLP): version 1, then its input
 *       shapes ({@code int n}, then {@code n} encoded shapes);</li>
 *   <li>{@code LayerNorm} (version 1): input shapes, then the normalised shape;</li>
 *   <li>{@code Linear} (version 4): {@code long units}, {@code long inputFeatures}, the input shape;</li>
 *   <li>a parameter: {@code char 'P'}, {@code byte 1}, its name (UTF), then the array as
 *       {@code NDSerializer} encodes it: "NDAR", {@code int} version (3), a name flag (and name),
 *       the sparse format and data type (UTF), the shape, a byte-order byte, {@code int} byte
 *       length, the data.</li>
 * </ul>
 * A shape is {@code int rank}, {@code rank} longs, {@code int} layout length, that many chars.
 * The tree, from the shape in config.json: the model ({@code tokenEmbedding [V, d]},
 * {@code positionEmbedding [C, d]}); per layer {@code ln1} (gamma, beta), {@code attn} with
 * {@code qkv} ({@code Linear} weight {@code [3d, d]}, bias) and {@code proj} ({@code [d, d]}),
 * {@code ln2}, {@code ffn} with {@code fc1} ({@code [F, d]}) and {@code fc2} ({@code [d, F]});
 * then {@code lnFinal} and the untied {@code head} ({@code [V, d]} with a bias). DJL's
 * {@code Linear} stores {@code [out, in]} and computes {@code x W^T + b}; its {@code LayerNorm}
 * has eps 1e-5 (a float); the MLP's GELU is PyTorch's default, the exact erf form.
 *
 * <h2>The exact conversion to GPT-2</h2>
 * The old model is GPT-2 but for its head's bias, which GPT-2's {@code lm_head} lacks. The
 * directory written is a GPT-2 of width {@code d' = d + h} ({@code h} heads, head size
 * {@code d/h + 1}) whose extra residual channels carry a constant 1 into the head:
 * <ol>
 *   <li><b>The extra channels hold the mean.</b> Every writer into the residual stream
 *       ({@code wte}, {@code wpe} rows, both {@code c_proj} weights and biases) gets, as each of
 *       its {@code h} extra output columns, the mean of its {@code d} real output columns. By
 *       linearity each extra channel then always equals the mean {@code m} of the real ones.</li>
 *   <li><b>LayerNorm over d' channels.</b> The mean over {@code d'} channels is still {@code m}
 *       and the variance is {@code d/d'} times the real one, so with
 *       {@code layer_norm_epsilon' = eps d/d'} a real channel normalises to {@code sqrt(d'/d)}
 *       times its old value: {@code gamma' = gamma sqrt(d/d')} restores it, {@code beta' = beta}.
 *       The extra channels normalise to exactly 0; {@code ln_1} and {@code ln_2} give them
 *       gamma 0 and beta 0.</li>
 *   <li><b>The head's bias.</b> {@code ln_f} gives extra channel 0 gamma 0 and beta 1, so it
 *       is 1 after the final norm; the untied {@code lm_head} ({@code tie_word_embeddings}
 *       false) has the old head's bias as that channel's column, 0 in the other extra columns.</li>
 *   <li><b>Attention.</b> The q, k, v outputs are split into heads of {@code d/h + 1} with the
 *       extra dimension last in each head, and that dimension is 0 (zero weights and bias), so
 *       it adds nothing to {@code q.k} nor to the attention's output. GPT-2 divides scores by
 *       {@code sqrt(d/h + 1)} where the old model divided by {@code sqrt(d/h)}: the q weights
 *       and bias are multiplied by {@code sqrt((d/h + 1) / (d/h))}. The extra input rows of
 *       {@code c_attn} and {@code mlp.c_fc} are 0 (their inputs are 0 anyway).</li>
 *   <li><b>Layout.</b> {@code Conv1D} stores {@code [in, out]}, the transpose of DJL's
 *       {@code Linear}; {@code n_inner} stays {@code 4 d}; {@code activation_function} "gelu"
 *       (erf).</li>
 * </ol>
 * The logits are the old model's up to float32 rounding. The tokenizer files are the character
 * model's ({@link CharacterModel}), over the checkpoint's alphabet, so every id means what it
 * meant; tokenizer_config.json carries a chat template that renders the old model's input
 * {@code <bos> prompt <sep>} (the user message's text between them), and its responses end
 * with {@code <eos>}.
 */
public final class BuiltinCheckpoints {
    /** The old checkpoint's files. */
    public static final String WEIGHTS = "weights.params";
    static final String CONFIG = "config.json";
    static final String TOKENIZER = "tokenizer.json";
    static final String META = "checkpoint.json";
    /** The GPT-2 directory's record of what it was converted from (ignored by other readers). */
    public static final String CONVERTED = "passk_converted.json";
    /** The eps of DJL's {@code LayerNorm} (a float), as the old model normalised with it. */
    static final double OLD_LAYER_NORM_EPS = 1e-5f;
    private static final String[] CONFIG_KEYS = {"vocabSize", "contextLength", "layers", "width", "heads",
            "ffnMultiplier"};

    private BuiltinCheckpoints() {
    }

    /**
     * The old model's shape (its config.json).
     *
     * @param ffnHidden the MLP's hidden size, {@code ffnMultiplier x width}
     */
    public record Shape(int vocab, int context, int layers, int width, int heads, int ffnHidden) {
        /** Head size of the old model. */
        int headDim() {
            return width / heads;
        }
    }

    /**
     * A read checkpoint: its shape, alphabet (the characters after the four specials, in id
     * order) and parameters by their path in the old block tree ({@code layer0.attn.qkv.weight}).
     */
    public record Builtin(Shape shape, String alphabet, Map<String, FloatTensor> parameters) {
    }

    /** Reads and checks an old checkpoint directory. */
    public static Builtin read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir + " is not a directory");
        }
        Path weights = dir.resolve(WEIGHTS);
        Path config = dir.resolve(CONFIG);
        if (!Files.isRegularFile(weights) || !Files.isRegularFile(config)) {
            throw new BadInputException(dir + " is not a built-in passk checkpoint (it needs " + CONFIG + " and "
                    + WEIGHTS + ")");
        }
        Shape shape = readShape(config);
        String alphabet = readAlphabet(dir.resolve(TOKENIZER), shape);
        Map<String, FloatTensor> params;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(weights)))) {
            params = readParameters(in, shape);
            if (in.read() != -1) {
                throw new BadInputException(weights + ": corrupt: bytes after the last parameter");
            }
        } catch (EOFException e) {
            throw new BadInputException(weights + ": corrupt: the file ends early (truncated?)");
        } catch (java.io.UTFDataFormatException e) {
            throw new BadInputException(weights + ": corrupt: a name is not valid modified UTF-8");
        } catch (IOException e) {
            throw new BadInputException(weights + ": cannot be read: " + e.getMessage());
        } catch (Corrupt e) {
            throw new BadInputException(weights + ": corrupt: " + e.getMessage());
        }
        for (Map.Entry<String, FloatTensor> p : params.entrySet()) {
            for (float v : p.getValue().values()) {
                if (!Float.isFinite(v)) {
                    throw new BadInputException(weights + ": parameter '" + p.getKey()
                            + "' holds NaN or infinite values; weights must be finite numbers");
                }
            }
        }
        return new Builtin(shape, alphabet, params);
    }

    private static Shape readShape(Path config) {
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(Files.readString(config, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new BadInputException(config + ": not a JSON object");
            }
            o = e.getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInputException b) {
                throw b;
            }
            throw new BadInputException(config + ": not valid JSON: " + e.getMessage());
        }
        int[] v = new int[CONFIG_KEYS.length];
        for (int i = 0; i < v.length; i++) {
            JsonElement e = o.get(CONFIG_KEYS[i]);
            if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()
                    || e.getAsDouble() != Math.rint(e.getAsDouble()) || e.getAsDouble() < 1 || e.getAsDouble() > 1e7) {
                throw new BadInputException(config + ": not a built-in passk checkpoint's config (" + CONFIG_KEYS[i]
                        + " is " + (e == null ? "missing" : e) + ", expected a positive integer)");
            }
            v[i] = e.getAsInt();
        }
        if (v[3] % v[4] != 0) {
            throw new BadInputException(config + ": width " + v[3] + " is not a multiple of heads " + v[4]);
        }
        if (v[0] <= Tokenizer.SPECIALS.length) {
            throw new BadInputException(config + ": vocabSize " + v[0] + " leaves no character after the specials");
        }
        return new Shape(v[0], v[1], v[2], v[3], v[4], v[5] * v[3]);
    }

    /** The alphabet of tokenizer.json ({@code specials}, {@code alphabet}), checked against the vocabulary size. */
    private static String readAlphabet(Path file, Shape shape) {
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            String[] specials = new Gson().fromJson(o.get("specials"), String[].class);
            if (!Arrays.equals(specials, Tokenizer.SPECIALS)) {
                throw new BadInputException(file + ": specials " + Arrays.toString(specials) + " are not "
                        + Arrays.toString(Tokenizer.SPECIALS));
            }
            String alphabet = o.get("alphabet").getAsString();
            int[] cps = alphabet.codePoints().toArray();
            int[] sorted = alphabet.codePoints().sorted().distinct().toArray();
            if (!Arrays.equals(cps, sorted)) {
                throw new BadInputException(file + ": alphabet is not in ascending code point order without repeats");
            }
            if (Tokenizer.SPECIALS.length + cps.length != shape.vocab()) {
                throw new BadInputException(file + ": " + cps.length + " characters and " + Tokenizer.SPECIALS.length
                        + " specials, but config.json's vocabSize is " + shape.vocab());
            }
            return alphabet;
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot be read: " + e.getMessage());
        } catch (BadInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BadInputException(file + ": not a built-in tokenizer ({\"specials\": [...], \"alphabet\": \"...\"}): "
                    + e.getMessage());
        }
    }

    /** A structural error in weights.params. */
    private static final class Corrupt extends RuntimeException {
        Corrupt(String message) {
            super(message, null, false, false);
        }
    }

    /** The parameters of {@code weights.params} by block path, in the file's (the block tree's) order. */
    static Map<String, FloatTensor> readParameters(DataInputStream in, Shape s) throws IOException {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        long d = s.width();
        plainBlock(in, "model");
        parameter(in, out, "tokenEmbedding", "tokenEmbedding", s.vocab(), d);
        parameter(in, out, "positionEmbedding", "positionEmbedding", s.context(), d);
        for (int i = 0; i < s.layers(); i++) {
            String p = "layer" + i + ".";
            plainBlock(in, p + "block");
            layerNorm(in, out, p + "ln1", d);
            plainBlock(in, p + "attn");
            linear(in, out, p + "attn.qkv", 3 * d, d);
            linear(in, out, p + "attn.proj", d, d);
            layerNorm(in, out, p + "ln2", d);
            plainBlock(in, p + "ffn");
            linear(in, out, p + "ffn.fc1", s.ffnHidden(), d);
            linear(in, out, p + "ffn.fc2", d, s.ffnHidden());
        }
        layerNorm(in, out, "lnFinal", d);
        linear(in, out, "head", s.vocab(), d);
        return out;
    }

    private static void version(DataInputStream in, String block, int expected) throws IOException {
        int v = in.readByte();
        if (v != expected) {
            throw new Corrupt("block " + block + " has version " + v + ", expected " + expected
                    + " (not a DJL 0.36 parameter file of the built-in model with this config.json's shape?)");
        }
    }

    private static void plainBlock(DataInputStream in, String block) throws IOException {
        version(in, block, 1);
        inputShapes(in, block);
    }

    private static void inputShapes(DataInputStream in, String block) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 16) {
            throw new Corrupt("block " + block + " has " + n + " input shapes");
        }
        for (int i = 0; i < n; i++) {
            shape(in, block);
        }
    }

    private static long[] shape(DataInputStream in, String what) throws IOException {
        int rank = in.readInt();
        if (rank < 0 || rank > 8) {
            throw new Corrupt(what + ": shape of rank " + rank);
        }
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readLong();
        }
        int layout = in.readInt();
        if (layout < 0 || layout > 8) {
            throw new Corrupt(what + ": shape layout of length " + layout);
        }
        for (int i = 0; i < layout; i++) {
            in.readChar();
        }
        return dims;
    }

    private static void layerNorm(DataInputStream in, Map<String, FloatTensor> out, String block, long d)
            throws IOException {
        version(in, block, 1);
        inputShapes(in, block);
        shape(in, block + " normalized shape");
        parameter(in, out, block + ".gamma", "gamma", d);
        parameter(in, out, block + ".beta", "beta", d);
    }

    private static void linear(DataInputStream in, Map<String, FloatTensor> out, String block, long units, long inputs)
            throws IOException {
        version(in, block, 4);
        long u = in.readLong();
        long f = in.readLong();
        if (u != units || f != inputs) {
            throw new Corrupt("block " + block + " is a " + f + " -> " + u + " linear layer, config.json implies "
                    + inputs + " -> " + units);
        }
        shape(in, block + " input shape");
        parameter(in, out, block + ".weight", "weight", units, inputs);
        parameter(in, out, block + ".bias", "bias", units);
    }

    private static void parameter(DataInputStream in, Map<String, FloatTensor> out, String path, String name,
                                  long... expected) throws IOException {
        char magic = in.readChar();
        if (magic != 'P') {
            throw new Corrupt("parameter " + path + ": " + (magic == 'N' ? "saved uninitialised" : "bad marker"));
        }
        int version = in.readByte();
        String saved = in.readUTF();
        if (version != 1 || !saved.equals(name)) {
            throw new Corrupt("parameter " + path + ": found '" + saved + "' (version " + version + "), expected '"
                    + name + "'");
        }
        if (!"NDAR".equals(in.readUTF())) {
            throw new Corrupt("parameter " + path + ": not an encoded NDArray");
        }
        int arrayVersion = in.readInt();
        if (arrayVersion != 3) {
            throw new Corrupt("parameter " + path + ": NDArray encoding version " + arrayVersion + ", expected 3");
        }
        if (in.readByte() == 1) {
            in.readUTF();   // the array's own name
        }
        in.readUTF();       // sparse format: dense by construction
        String dtype = in.readUTF();
        if (!dtype.equals("FLOAT32")) {
            throw new Corrupt("parameter " + path + ": data type " + dtype + ", expected FLOAT32");
        }
        long[] dims = shape(in, "parameter " + path);
        if (!Arrays.equals(dims, expected)) {
            throw new Corrupt("parameter " + path + " has shape " + Arrays.toString(dims) + ", config.json implies "
                    + Arrays.toString(expected));
        }
        ByteOrder order = in.readByte() == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        long count = 1;
        for (long x : dims) {
            count *= x;
        }
        int length = in.readInt();
        if (length != count * Float.BYTES) {
            throw new Corrupt("parameter " + path + ": " + length + " data bytes for " + count + " floats");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        float[] values = new float[(int) count];
        ByteBuffer.wrap(bytes).order(order).asFloatBuffer().get(values);
        out.put(path, FloatTensor.of(values, dims));
    }

    // ------------------------------------------------------------------ conversion

    /** The GPT-2 config.json of the converted model. */
    static JsonObject gpt2Config(Shape s) {
        int padded = s.width() + s.heads();
        JsonObject c = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add("GPT2LMHeadModel");
        c.add("architectures", arch);
        c.addProperty("model_type", "gpt2");
        c.addProperty("vocab_size", s.vocab());
        c.addProperty("n_positions", s.context());
        c.addProperty("n_ctx", s.context());
        c.addProperty("n_embd", padded);
        c.addProperty("n_layer", s.layers());
        c.addProperty("n_head", s.heads());
        c.addProperty("n_inner", s.ffnHidden());
        c.addProperty("activation_function", DecoderConfig.GELU);
        c.addProperty("layer_norm_epsilon", OLD_LAYER_NORM_EPS * s.width() / padded);
        c.addProperty("tie_word_embeddings", false);
        c.addProperty("scale_attn_weights", true);
        c.addProperty("scale_attn_by_inverse_layer_idx", false);
        c.addProperty("reorder_and_upcast_attn", false);
        c.addProperty("resid_pdrop", 0.0);
        c.addProperty("embd_pdrop", 0.0);
        c.addProperty("attn_pdrop", 0.0);
        c.addProperty("use_cache", true);
        c.addProperty("torch_dtype", "float32");
        c.addProperty("bos_token_id", Tokenizer.BOS);
        c.addProperty("eos_token_id", Tokenizer.EOS);
        c.addProperty("pad_token_id", Tokenizer.PAD);
        return c;
    }

    /** The GPT-2 tensors (class javadoc), by Hugging Face name. */
    public static Map<String, FloatTensor> gpt2Tensors(Builtin b) {
        Shape s = b.shape();
        Map<String, FloatTensor> p = b.parameters();
        int d = s.width();
        int h = s.heads();
        int dp = d + h;
        int hd = s.headDim();
        int hdp = hd + 1;
        int inner = s.ffnHidden();
        float lnScale = (float) Math.sqrt((double) d / dp);
        float qScale = (float) Math.sqrt((double) hdp / hd);
        Map<String, FloatTensor> t = new LinkedHashMap<>();
        t.put("transformer.wte.weight", meanPadded(p.get("tokenEmbedding").values(), s.vocab(), d, h));
        t.put("transformer.wpe.weight", meanPadded(p.get("positionEmbedding").values(), s.context(), d, h));
        for (int i = 0; i < s.layers(); i++) {
            String o = "layer" + i + ".";
            String n = "transformer.h." + i + ".";
            putLayerNorm(t, n + "ln_1", p.get(o + "ln1.gamma").values(), p.get(o + "ln1.beta").values(), h, lnScale, -1);
            // c_attn: Conv1D [d', 3d']; column (block, head g, dim j) <- old output block * d + g * hd + j
            float[] qkvW = p.get(o + "attn.qkv.weight").values();
            float[] qkvB = p.get(o + "attn.qkv.bias").values();
            float[] cAttn = new float[dp * 3 * dp];
            float[] cAttnB = new float[3 * dp];
            for (int block = 0; block < 3; block++) {
                float scale = block == 0 ? qScale : 1f;
                for (int g = 0; g < h; g++) {
                    for (int j = 0; j < hd; j++) {
                        int col = block * dp + g * hdp + j;
                        int old = block * d + g * hd + j;
                        cAttnB[col] = qkvB[old] * scale;
                        for (int in = 0; in < d; in++) {
                            cAttn[in * 3 * dp + col] = qkvW[old * d + in] * scale;
                        }
                    }
                }
            }
            t.put(n + "attn.c_attn.weight", FloatTensor.of(cAttn, dp, 3L * dp));
            t.put(n + "attn.c_attn.bias", FloatTensor.of(cAttnB, 3L * dp));
            // c_proj: Conv1D [d', d']; input (head g, dim j) <- old input g * hd + j; extra inputs 0
            float[] projW = p.get(o + "attn.proj.weight").values();
            float[] cProj = new float[dp * dp];
            for (int g = 0; g < h; g++) {
                for (int j = 0; j < hd; j++) {
                    int row = g * hdp + j;
                    for (int out = 0; out < d; out++) {
                        cProj[row * dp + out] = projW[out * d + g * hd + j];
                    }
                }
            }
            meanColumns(cProj, dp, d, h);
            t.put(n + "attn.c_proj.weight", FloatTensor.of(cProj, dp, dp));
            t.put(n + "attn.c_proj.bias", meanPaddedVector(p.get(o + "attn.proj.bias").values(), h));
            putLayerNorm(t, n + "ln_2", p.get(o + "ln2.gamma").values(), p.get(o + "ln2.beta").values(), h, lnScale, -1);
            // c_fc: Conv1D [d', F]; extra input rows 0
            float[] fc1 = p.get(o + "ffn.fc1.weight").values();
            float[] cFc = new float[dp * inner];
            for (int in = 0; in < d; in++) {
                for (int out = 0; out < inner; out++) {
                    cFc[in * inner + out] = fc1[out * d + in];
                }
            }
            t.put(n + "mlp.c_fc.weight", FloatTensor.of(cFc, dp, inner));
            t.put(n + "mlp.c_fc.bias", FloatTensor.of(p.get(o + "ffn.fc1.bias").values().clone(), inner));
            // mlp.c_proj: Conv1D [F, d']; extra output columns the mean of the real ones
            float[] fc2 = p.get(o + "ffn.fc2.weight").values();
            float[] mProj = new float[inner * dp];
            for (int in = 0; in < inner; in++) {
                for (int out = 0; out < d; out++) {
                    mProj[in * dp + out] = fc2[out * inner + in];
                }
            }
            meanColumns(mProj, dp, d, h);
            t.put(n + "mlp.c_proj.weight", FloatTensor.of(mProj, inner, dp));
            t.put(n + "mlp.c_proj.bias", meanPaddedVector(p.get(o + "ffn.fc2.bias").values(), h));
        }
        putLayerNorm(t, "transformer.ln_f", p.get("lnFinal.gamma").values(), p.get("lnFinal.beta").values(), h, lnScale, 0);
        // lm_head [V, d']: the old head, its bias in the constant-1 channel d, other extra columns 0
        float[] head = p.get("head.weight").values();
        float[] headB = p.get("head.bias").values();
        float[] lm = new float[s.vocab() * dp];
        for (int v = 0; v < s.vocab(); v++) {
            System.arraycopy(head, v * d, lm, v * dp, d);
            lm[v * dp + d] = headB[v];
        }
        t.put("lm_head.weight", FloatTensor.of(lm, s.vocab(), dp));
        return t;
    }

    /** {@code rows x d} row-major values, each row followed by {@code h} copies of its mean. */
    private static FloatTensor meanPadded(float[] values, int rows, int d, int h) {
        float[] out = new float[rows * (d + h)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(values, r * d, out, r * (d + h), d);
            float mean = mean(values, r * d, d);
            Arrays.fill(out, r * (d + h) + d, (r + 1) * (d + h), mean);
        }
        return FloatTensor.of(out, rows, d + h);
    }

    /** A bias vector followed by {@code h} copies of its mean. */
    private static FloatTensor meanPaddedVector(float[] values, int h) {
        return FloatTensor.of(meanPadded(values, 1, values.length, h).values(), values.length + h);
    }

    /** Sets the {@code h} extra columns of each row of a row-major {@code [rows, width]} matrix to its real columns' mean. */
    private static void meanColumns(float[] m, int width, int d, int h) {
        for (int r = 0; r < m.length / width; r++) {
            Arrays.fill(m, r * width + d, r * width + d + h, mean(m, r * width, d));
        }
    }

    private static float mean(float[] values, int from, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values[from + i];
        }
        return (float) (sum / n);
    }

    /**
     * A LayerNorm over {@code d + h} channels: real gammas times {@code scale}, real betas as they
     * are; extra channels gamma 0 and beta 0, except channel {@code one} (an index among the
     * extras, or -1 for none) whose beta is 1.
     */
    private static void putLayerNorm(Map<String, FloatTensor> t, String prefix, float[] gamma, float[] beta, int h,
                                     float scale, int one) {
        int d = gamma.length;
        float[] g = new float[d + h];
        float[] b = new float[d + h];
        for (int i = 0; i < d; i++) {
            g[i] = gamma[i] * scale;
            b[i] = beta[i];
        }
        if (one >= 0) {
            b[d + one] = 1f;
        }
        t.put(prefix + ".weight", FloatTensor.of(g, d + h));
        t.put(prefix + ".bias", FloatTensor.of(b, d + h));
    }

    /**
     * Converts the old checkpoint {@code ckpt} into a GPT-2 model directory {@code out}, written
     * atomically (it appears only when complete). Reads and checks everything before writing.
     *
     * @return the directory written
     */
    public static Path export(Path ckpt, Path out, boolean overwrite, ProgressListener log) {
        Builtin b = read(ckpt);
        Path target = out.toAbsolutePath().normalize();
        if (target.equals(ckpt.toAbsolutePath().normalize())) {
            throw new BadInputException("--out " + out + " is the checkpoint itself; choose another directory");
        }
        if (!overwrite && Files.exists(target)) {
            throw new BadInputException("output " + out + " already exists; pass --overwrite to replace it");
        }
        Map<String, FloatTensor> tensors = gpt2Tensors(b);
        Tokenizer alphabet = Tokenizer.ofAlphabet(b.alphabet());
        if (!alphabet.alphabet().equals(b.alphabet()) || alphabet.vocabSize() != b.shape().vocab()) {
            throw new IllegalStateException("the character tokenizer's alphabet differs from the checkpoint's");
        }
        try (AtomicOutput output = AtomicOutput.begin(target, overwrite, log)) {
            Path tmp = output.localDir();
            write(tmp.resolve(DecoderConfig.FILE_NAME), gpt2Config(b.shape()));
            write(tmp.resolve(TokenizerFiles.TOKENIZER), CharacterModel.tokenizerJson(alphabet));
            // the character model's: its chat template renders the old input, <bos> prompt <sep>
            write(tmp.resolve(TokenizerFiles.TOKENIZER_CONFIG), CharacterModel.tokenizerConfig(b.shape().context()));
            write(tmp.resolve(GenerationConfig.FILE_NAME), CharacterModel.generationConfig());
            SafetensorsWriter.write(tmp.resolve(ModelDirectory.WEIGHTS), tensors, DType.F32,
                    SafetensorsWriter.PT_METADATA);
            JsonObject meta = new JsonObject();
            meta.addProperty("from_builtin", ckpt.normalize().toString());   // as given
            JsonObject old = oldMeta(ckpt);
            meta.addProperty("step", old.has("step") ? old.get("step").getAsLong() : -1);
            meta.addProperty("conversion", "width " + b.shape().width() + " + " + b.shape().heads()
                    + " mean channels; see io.passk.policy.BuiltinCheckpoints");
            if (old.has("provenance") && old.get("provenance").isJsonObject()) {
                meta.add("provenance", old.get("provenance"));   // how the old model was trained
            }
            write(tmp.resolve(CONVERTED), meta);
            output.commit();
        }
        return target;
    }

    /** The old checkpoint.json (step, provenance), or an empty object when it is absent or unreadable. */
    private static JsonObject oldMeta(Path ckpt) {
        try {
            JsonElement meta = JsonParser.parseString(Files.readString(ckpt.resolve(META)));
            JsonObject o = meta.getAsJsonObject();
            if (o.has("step") && !(o.get("step").isJsonPrimitive() && o.get("step").getAsJsonPrimitive().isNumber())) {
                o.remove("step");
            }
            return o;
        } catch (IOException | RuntimeException e) {
            return new JsonObject();
        }
    }

    private static void write(Path file, JsonObject json) {
        try {
            CharacterModel.writeJson(file, json);   // the character model's JSON files, written alike
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }
}
