#!/usr/bin/python3
"""Tiny random decoders and their reference logits for passk's io.passk.hf.decoder tests.

The reference forward below is written from the Hugging Face architecture descriptions
(Qwen2 / Llama / Qwen3: RMSNorm, rotary embeddings with rotate_half, grouped-query attention,
SwiGLU MLP; GPT-2: LayerNorm, learned positions, fused c_attn in Conv1D layout [in, out],
GELU MLP, transformers' modeling_gpt2.py) in plain numpy, in float64, one prompt at a time without padding. It shares no
code with the Java under test, so it serves as its oracle. File writing reuses the
independent safetensors writer of hf_fixtures.py.

    python3 decoder_fixtures.py generate lib/src/test/resources/hf-decoder
        writes, deterministically (run it again and git shows no change), for each of
        qwen2 (q/k/v biases, untied head), llama (tied embeddings, eos list), qwen3
        (q/k RMSNorm, head_dim 16 != hidden / heads, tied) and gpt2 (untied head, n_inner 48,
        the tanh GELU "gelu_new"):
          NAME/model/      config.json, model.safetensors (F32), tokenizer files
                           (+ generation_config.json for qwen2)
          NAME/reference/  prompts.json     {"prompts": [[ids]...], "greedy": [[ids]...],
                                             "min_greedy_margin": float}
                           logits.safetensors  logits_i: F32 [len(prompt_i), vocab], the
                                             logits after every prompt position
        "greedy" is the reference's greedy continuation (GREEDY_STEPS tokens, no eos stop) of
        every prompt. Prompts are drawn (seeded) until the top-two logits along every greedy
        continuation are at least MIN_MARGIN apart, so float32 rounding cannot flip a choice.

    python3 decoder_fixtures.py logits MODEL_DIR TEXTS_JSON OUT_JSON
        reads a model directory written by passk (config.json, model.safetensors, tokenizer.json),
        tokenizes each text of TEXTS_JSON (a JSON list of strings) by reading tokenizer.json here
        (added tokens, the Split pre-tokenizer, the WordLevel vocabulary: the subset passk's
        character model uses; anything else is refused), and writes
        {"ids": [[ids]...], "logits": [[[float]...]...]}: the float64 forward's logits after every
        position, for the Java side to compare with its own tokenizer and decoder.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hf_fixtures import CHATML, f32_raw, tokenizer_json, write_json, write_safetensors  # noqa: E402

GREEDY_STEPS = 8
MIN_MARGIN = 1e-3
PROMPT_LENGTHS = [7, 3, 12, 1]


# ---------------------------------------------------------------- reference forward (float64)

def rms_norm(x, w, eps):
    return w * (x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps))


def rotate_half(x):
    h = x.shape[-1] // 2
    return np.concatenate([-x[..., h:], x[..., :h]], axis=-1)


def rotary(x, theta):
    """x: (T, heads, hd); position t rotates pair (i, i + hd/2) by t * theta^(-2i/hd)."""
    t, _, hd = x.shape
    inv_freq = 1.0 / theta ** (np.arange(0, hd, 2, dtype=np.float64) / hd)
    angles = np.arange(t, dtype=np.float64)[:, None] * inv_freq[None, :]
    emb = np.concatenate([angles, angles], axis=-1)[:, None, :]
    return x * np.cos(emb) + rotate_half(x) * np.sin(emb)


def silu(x):
    return x / (1.0 + np.exp(-x))


def layer_norm(x, w, b, eps):
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def gelu(x, kind):
    """transformers' ACT2FN: "gelu" is x * Phi(x) (erf); "gelu_new" / "gelu_pytorch_tanh" the tanh form."""
    if kind == "gelu":
        from math import erf
        return 0.5 * x * (1.0 + np.vectorize(erf)(x / np.sqrt(2.0)))
    if kind in ("gelu_new", "gelu_pytorch_tanh"):
        return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))
    raise SystemExit(f"activation_function {kind} is outside this reference")


def forward_gpt2(cfg, w, ids):
    """GPT2LMHeadModel's logits (T, vocab): Conv1D weights are [in, out] (y = x W + b)."""
    d, heads = cfg["n_embd"], cfg["n_head"]
    hd = d // heads
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    act = cfg.get("activation_function", "gelu_new")
    W = {k: v.astype(np.float64) for k, v in w.items()}
    T = len(ids)
    x = W["transformer.wte.weight"][np.asarray(ids)] + W["transformer.wpe.weight"][np.arange(T)]
    causal = np.where(np.tril(np.ones((T, T), dtype=bool)), 0.0, -np.inf)
    for i in range(cfg["n_layer"]):
        p = f"transformer.h.{i}."
        h = layer_norm(x, W[p + "ln_1.weight"], W[p + "ln_1.bias"], eps)
        qkv = h @ W[p + "attn.c_attn.weight"] + W[p + "attn.c_attn.bias"]
        q, k, v = (qkv[:, j * d:(j + 1) * d].reshape(T, heads, hd) for j in range(3))
        scores = np.einsum("thd,shd->hts", q, k) / np.sqrt(hd) + causal
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probs = scores / scores.sum(axis=-1, keepdims=True)
        att = np.einsum("hts,shd->thd", probs, v).reshape(T, d)
        x = x + att @ W[p + "attn.c_proj.weight"] + W[p + "attn.c_proj.bias"]
        h = layer_norm(x, W[p + "ln_2.weight"], W[p + "ln_2.bias"], eps)
        m = gelu(h @ W[p + "mlp.c_fc.weight"] + W[p + "mlp.c_fc.bias"], act)
        x = x + m @ W[p + "mlp.c_proj.weight"] + W[p + "mlp.c_proj.bias"]
    x = layer_norm(x, W["transformer.ln_f.weight"], W["transformer.ln_f.bias"], eps)
    head = W["transformer.wte.weight"] if cfg.get("tie_word_embeddings", True) else W["lm_head.weight"]
    return x @ head.T


def forward(cfg, w, ids):
    """Logits (T, vocab) of one unpadded prompt."""
    if cfg["model_type"] == "gpt2":
        return forward_gpt2(cfg, w, ids)
    heads, kv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = cfg.get("head_dim", cfg["hidden_size"] // heads)
    eps, theta = cfg["rms_norm_eps"], cfg["rope_theta"]
    qk_norm = cfg["model_type"] == "qwen3"
    bias = cfg["model_type"] == "qwen2"
    W = {k: v.astype(np.float64) for k, v in w.items()}
    T = len(ids)
    x = W["model.embed_tokens.weight"][np.asarray(ids)]
    causal = np.where(np.tril(np.ones((T, T), dtype=bool)), 0.0, -np.inf)
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = rms_norm(x, W[p + "input_layernorm.weight"], eps)
        proj = {}
        for name in ("q", "k", "v"):
            y = h @ W[p + f"self_attn.{name}_proj.weight"].T
            if bias:
                y = y + W[p + f"self_attn.{name}_proj.bias"]
            proj[name] = y.reshape(T, -1, hd)
        q, k, v = proj["q"], proj["k"], proj["v"]
        if qk_norm:
            q = rms_norm(q, W[p + "self_attn.q_norm.weight"], eps)
            k = rms_norm(k, W[p + "self_attn.k_norm.weight"], eps)
        q, k = rotary(q, theta), rotary(k, theta)
        # query head j reads key/value head j // (heads / kv)
        k = np.repeat(k, heads // kv, axis=1)
        v = np.repeat(v, heads // kv, axis=1)
        scores = np.einsum("thd,shd->hts", q, k) / np.sqrt(hd) + causal
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probs = scores / scores.sum(axis=-1, keepdims=True)
        att = np.einsum("hts,shd->thd", probs, v).reshape(T, heads * hd)
        x = x + att @ W[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, W[p + "post_attention_layernorm.weight"], eps)
        mlp = silu(h @ W[p + "mlp.gate_proj.weight"].T) * (h @ W[p + "mlp.up_proj.weight"].T)
        x = x + mlp @ W[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, W["model.norm.weight"], eps)
    head = W["model.embed_tokens.weight"] if cfg["tie_word_embeddings"] else W["lm_head.weight"]
    return x @ head.T


def greedy(cfg, w, ids, steps):
    seq = list(ids)
    margin = np.inf
    for _ in range(steps):
        last = forward(cfg, w, seq)[-1]
        top = np.sort(last)[-2:]
        margin = min(margin, top[1] - top[0])
        seq.append(int(np.argmax(last)))
    return seq[len(ids):], margin


# ---------------------------------------------------------------- fixtures

def shapes_gpt2(cfg):
    d, inner = cfg["n_embd"], cfg.get("n_inner") or 4 * cfg["n_embd"]
    out = {"transformer.wte.weight": [cfg["vocab_size"], d], "transformer.wpe.weight": [cfg["n_positions"], d]}
    for i in range(cfg["n_layer"]):
        p = f"transformer.h.{i}."
        out.update({p + "ln_1.weight": [d], p + "ln_1.bias": [d],
                    p + "attn.c_attn.weight": [d, 3 * d], p + "attn.c_attn.bias": [3 * d],
                    p + "attn.c_proj.weight": [d, d], p + "attn.c_proj.bias": [d],
                    p + "ln_2.weight": [d], p + "ln_2.bias": [d],
                    p + "mlp.c_fc.weight": [d, inner], p + "mlp.c_fc.bias": [inner],
                    p + "mlp.c_proj.weight": [inner, d], p + "mlp.c_proj.bias": [d]})
    out["transformer.ln_f.weight"] = [d]
    out["transformer.ln_f.bias"] = [d]
    if not cfg.get("tie_word_embeddings", True):
        out["lm_head.weight"] = [cfg["vocab_size"], d]
    return out


def shapes(cfg):
    if cfg["model_type"] == "gpt2":
        return shapes_gpt2(cfg)
    h, inter = cfg["hidden_size"], cfg["intermediate_size"]
    heads, kv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = cfg.get("head_dim", h // heads)
    out = {"model.embed_tokens.weight": [cfg["vocab_size"], h]}
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        out[p + "input_layernorm.weight"] = [h]
        out[p + "self_attn.q_proj.weight"] = [heads * hd, h]
        out[p + "self_attn.k_proj.weight"] = [kv * hd, h]
        out[p + "self_attn.v_proj.weight"] = [kv * hd, h]
        if cfg["model_type"] == "qwen2":
            out[p + "self_attn.q_proj.bias"] = [heads * hd]
            out[p + "self_attn.k_proj.bias"] = [kv * hd]
            out[p + "self_attn.v_proj.bias"] = [kv * hd]
        out[p + "self_attn.o_proj.weight"] = [h, heads * hd]
        if cfg["model_type"] == "qwen3":
            out[p + "self_attn.q_norm.weight"] = [hd]
            out[p + "self_attn.k_norm.weight"] = [hd]
        out[p + "post_attention_layernorm.weight"] = [h]
        out[p + "mlp.gate_proj.weight"] = [inter, h]
        out[p + "mlp.up_proj.weight"] = [inter, h]
        out[p + "mlp.down_proj.weight"] = [h, inter]
    out["model.norm.weight"] = [h]
    if not cfg["tie_word_embeddings"]:
        out["lm_head.weight"] = [cfg["vocab_size"], h]
    return out


def bf16_exact(x):
    """float32 rounded to the nearest BF16 value (ties to even), kept as float32."""
    bits = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return bits.astype(np.uint32).view(np.float32)


def random_weights(cfg, seed):
    rng = np.random.default_rng(seed)
    out = {}
    conv1d = cfg["model_type"] == "gpt2"   # Conv1D weights are [in, out]
    for name, shape in shapes(cfg).items():
        embedding = name.endswith(("embed_tokens.weight", "wte.weight", "wpe.weight"))
        fan_in = (shape[0] if conv1d and name != "lm_head.weight" else shape[-1]) \
            if len(shape) == 2 and not embedding else 1
        scale = 1.0 / np.sqrt(fan_in) if fan_in > 1 else 0.5
        w = rng.standard_normal(shape) * scale
        if name.endswith("norm.weight") or (conv1d and ".ln_" in name and name.endswith(".weight")):
            w = 1.0 + 0.2 * rng.standard_normal(shape)
        if name.endswith(".bias"):
            w = 0.1 * rng.standard_normal(shape)
        out[name] = bf16_exact(w.astype(np.float32))
    return out


BASE = {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
        "num_key_value_heads": 2, "vocab_size": 64, "max_position_embeddings": 128, "hidden_act": "silu"}

MODELS = {
    "qwen2": dict(BASE, architectures=["Qwen2ForCausalLM"], model_type="qwen2", rms_norm_eps=1e-6,
                  rope_theta=1000000.0, tie_word_embeddings=False, torch_dtype="float32", bos_token_id=0,
                  eos_token_id=2, use_sliding_window=False, sliding_window=None, rope_scaling=None),
    "llama": dict(BASE, architectures=["LlamaForCausalLM"], model_type="llama", rms_norm_eps=1e-5,
                  rope_theta=500000.0, tie_word_embeddings=True, torch_dtype="float32", bos_token_id=1,
                  eos_token_id=[2, 3], attention_bias=False, mlp_bias=False, rope_scaling=None),
    "qwen3": dict(BASE, architectures=["Qwen3ForCausalLM"], model_type="qwen3", head_dim=16, rms_norm_eps=1e-6,
                  rope_theta=1000000.0, tie_word_embeddings=True, torch_dtype="float32", bos_token_id=0,
                  eos_token_id=2, attention_bias=False, use_sliding_window=False, sliding_window=None,
                  rope_scaling=None),
    "gpt2": {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_embd": 32, "n_layer": 2, "n_head": 4,
             "n_inner": 48, "n_positions": 64, "vocab_size": 64, "activation_function": "gelu_new",
             "layer_norm_epsilon": 1e-5, "tie_word_embeddings": False, "scale_attn_weights": True,
             "scale_attn_by_inverse_layer_idx": False, "reorder_and_upcast_attn": False, "torch_dtype": "float32",
             "bos_token_id": 0, "eos_token_id": 2},
}
SEEDS = {"qwen2": 11, "llama": 12, "qwen3": 13, "gpt2": 14}


def tokenizer_files(cfg):
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    words = [f"w{i}" for i in range(cfg["vocab_size"] - len(specials))]
    return {"tokenizer.json": tokenizer_json(specials, words),
            "tokenizer_config.json": {"bos_token": None, "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>",
                                      "chat_template": CHATML,
                                      "model_max_length": cfg.get("max_position_embeddings", cfg.get("n_positions"))}}


def reference(cfg, w, seed):
    """Prompts (the first draw, from seed + 100 on, whose greedy margin is at least MIN_MARGIN),
    their logits and greedy continuations."""
    for attempt in range(100):
        rng = np.random.default_rng(seed + 100 + attempt)
        prompts = [[int(t) for t in rng.integers(0, cfg["vocab_size"], size=n)] for n in PROMPT_LENGTHS]
        logits = {}
        continuations = []
        margin = np.inf
        for i, p in enumerate(prompts):
            logits[f"logits_{i}"] = ("F32", [len(p), cfg["vocab_size"]], f32_raw(forward(cfg, w, p).ravel()))
            cont, m = greedy(cfg, w, p, GREEDY_STEPS)
            continuations.append(cont)
            margin = min(margin, m)
        if margin >= MIN_MARGIN:
            return prompts, logits, continuations, margin
    raise SystemExit(f"{cfg['model_type']}: no prompts with greedy margin {MIN_MARGIN} in 100 draws")


def generate(out):
    for name, cfg in MODELS.items():
        seed = SEEDS[name]
        w = random_weights(cfg, seed)
        model_dir = os.path.join(out, name, "model")
        ref_dir = os.path.join(out, name, "reference")
        os.makedirs(model_dir, exist_ok=True)
        os.makedirs(ref_dir, exist_ok=True)
        files = dict(tokenizer_files(cfg), **{"config.json": cfg})
        if name == "qwen2":
            files["generation_config.json"] = {"bos_token_id": 0, "eos_token_id": [2, 5], "do_sample": True}
        for fname, obj in files.items():
            write_json(os.path.join(model_dir, fname), obj)
        tensors = {n: ("F32", list(v.shape), f32_raw(v.ravel())) for n, v in w.items()}
        write_safetensors(os.path.join(model_dir, "model.safetensors"), tensors, {"format": "pt"})

        prompts, logits, continuations, margin = reference(cfg, w, seed)
        write_safetensors(os.path.join(ref_dir, "logits.safetensors"), logits, {"source": "decoder_fixtures.py"})
        write_json(os.path.join(ref_dir, "prompts.json"),
                   {"prompts": prompts, "greedy": continuations, "min_greedy_margin": round(float(margin), 6)})


# ---------------------------------------------------------------- a model directory written by passk

def char_tokenizer(path):
    """encode(text) -> ids per tokenizer.json, for the components the character model uses:
    added tokens (matched in the text first, longest first), no normalizer, a Split
    pre-tokenizer on a regex with the Isolated behaviour (every match its own piece, the text
    between matches too), a WordLevel model (piece -> id; unknown -> the unk token, an error if
    that is not in the vocabulary)."""
    import re
    with open(path, encoding="utf-8") as f:
        tok = json.load(f)
    if tok.get("normalizer") is not None or tok.get("post_processor") is not None:
        raise SystemExit(f"{path}: a normalizer or post-processor is outside this reader's subset")
    pre, model = tok["pre_tokenizer"], tok["model"]
    if pre.get("type") != "Split" or pre.get("behavior") != "Isolated" or pre.get("invert") or "Regex" not in pre["pattern"]:
        raise SystemExit(f"{path}: pre_tokenizer {pre} is outside this reader's subset")
    if model.get("type") != "WordLevel":
        raise SystemExit(f"{path}: model type {model.get('type')} is outside this reader's subset")
    splitter = re.compile(pre["pattern"]["Regex"])
    vocab = model["vocab"]
    added = sorted((t["content"] for t in tok["added_tokens"]), key=len, reverse=True)
    added_ids = {t["content"]: t["id"] for t in tok["added_tokens"]}

    def pieces(text):
        out, last = [], 0
        for m in splitter.finditer(text):
            if m.start() > last:
                out.append(text[last:m.start()])
            out.append(m.group(0))
            last = m.end()
        if last < len(text):
            out.append(text[last:])
        return out

    def encode(text):
        ids, i, plain = [], 0, ""
        while i <= len(text):
            hit = next((a for a in added if text.startswith(a, i)), None) if i < len(text) else None
            if hit is None and i < len(text):
                plain += text[i]
                i += 1
                continue
            for piece in pieces(plain):
                if piece in vocab:
                    ids.append(vocab[piece])
                elif model["unk_token"] in vocab:
                    ids.append(vocab[model["unk_token"]])
                else:
                    raise SystemExit(f"{path}: {piece!r} is not in the vocabulary and there is no unk token")
            plain = ""
            if hit is None:
                break
            ids.append(added_ids[hit])
            i += len(hit)
        return ids

    return encode


def model_logits(model_dir, texts_json, out_json):
    from hf_fixtures import read_safetensors, widen
    with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    if cfg["model_type"] != "gpt2":
        cfg.setdefault("rope_theta", 10000.0)
        cfg.setdefault("rms_norm_eps", 1e-6)
        cfg.setdefault("num_key_value_heads", cfg["num_attention_heads"])
    _, tensors = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    w = {n: widen(d, raw).reshape(shape) for n, (d, shape, raw) in tensors.items()}
    encode = char_tokenizer(os.path.join(model_dir, "tokenizer.json"))
    with open(texts_json, encoding="utf-8") as f:
        texts = json.load(f)
    ids = [encode(t) for t in texts]
    logits = [forward(cfg, w, x).tolist() for x in ids]
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump({"ids": ids, "logits": logits}, f)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "generate":
        generate(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "logits":
        model_logits(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
