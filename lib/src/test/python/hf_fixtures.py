#!/usr/bin/python3
"""Independent safetensors implementation and fixture generator for passk's io.passk.hf tests.

Written with struct + numpy (+ torch for bfloat16 rounding) only: no `safetensors` or
`transformers` package, so it shares no code with the Java under test and serves as its oracle.

    python3 hf_fixtures.py generate lib/src/test/resources/hf
        writes the committed fixtures (deterministic: run it again and git shows no change):
        python-written.safetensors  edge values as F32, their BF16 (torch) and F16 (numpy)
                                    narrowings and those widened back to F32, a scalar, an
                                    empty tensor, an I64 tensor
        tiny-qwen2/                 random qwen2 decoder, F32, untied head, q/k/v biases
        tiny-qwen2-bf16/            the same weights as BF16
        tiny-qwen2-sharded/         the same weights as F32 in shards of at most 3000 bytes + index
        tiny-llama/                 random llama decoder, F32, tied embeddings, eos list
        tiny-llama-sharded-bf16/    the same weights as BF16 in shards of at most 1000 bytes + index
        Every weight is a BF16 value, so all variants widen to the same F32 numbers.

    python3 hf_fixtures.py dump FILE...
        reads each FILE with the checks of the format (contiguous, in range, sizes) and prints
        JSON: {FILE: {"metadata": {...}, "tensors": {name: {"dtype", "shape", "f32_bits": [...],
        "bf16_bits": [...], "f16_bits": [...]}}}}; f32_bits are the values widened to F32
        (numpy for F16, a shift for BF16), bf16_bits / f16_bits are F32 tensors narrowed by
        torch / numpy (round to nearest even; bf16_bits only where torch is installed).
        Exits 1 with a message on a bad file.
"""
import json
import os
import struct
import sys

import numpy as np



def _torch():
    """torch, imported on first use (slow to import): bfloat16 rounding. `generate` needs it,
    `dump` leaves bf16_bits out without it."""
    try:
        import torch
        return torch
    except ImportError:
        return None

SIZES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}


# ---------------------------------------------------------------- format

def write_safetensors(path, tensors, metadata=None):
    """tensors: {name: (dtype, shape, raw little-endian bytes)}; names sorted, data in name order,
    compact JSON with __metadata__ first, header padded with spaces to a multiple of 8."""
    header = {}
    if metadata:
        header["__metadata__"] = dict(sorted(metadata.items()))
    offset = 0
    for name in sorted(tensors):
        dtype, shape, raw = tensors[name]
        n = int(np.prod(shape, dtype=np.int64)) * SIZES[dtype]
        assert n == len(raw), name
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + n]}
        offset += n
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for name in sorted(tensors):
            f.write(tensors[name][2])


def read_safetensors(path):
    """Returns (metadata, {name: (dtype, shape, raw bytes)}), checking the format's rules."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: shorter than 8 bytes")
    (n,) = struct.unpack("<Q", data[:8])
    if n > 100_000_000 or 8 + n > len(data):
        raise ValueError(f"{path}: header length {n} out of range")
    text = data[8:8 + n].decode("utf-8")
    if not text.startswith("{"):
        raise ValueError(f"{path}: header does not start with {{")
    header = json.loads(text)
    metadata = header.pop("__metadata__", {}) or {}
    buffer = data[8 + n:]
    spans = []
    tensors = {}
    for name, info in header.items():
        dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        if dtype not in SIZES:
            raise ValueError(f"{path}: tensor {name}: unknown dtype {dtype}")
        if int(np.prod(shape, dtype=np.int64)) * SIZES[dtype] != end - begin:
            raise ValueError(f"{path}: tensor {name}: shape and offsets disagree")
        if end > len(buffer):
            raise ValueError(f"{path}: tensor {name}: past the end of the buffer")
        spans.append((begin, end, name))
        tensors[name] = (dtype, shape, buffer[begin:end])
    covered = 0
    for begin, end, name in sorted(spans):
        if begin != covered:
            raise ValueError(f"{path}: tensor {name}: not contiguous at {begin} (expected {covered})")
        covered = end
    if covered != len(buffer):
        raise ValueError(f"{path}: {len(buffer) - covered} trailing bytes")
    return metadata, tensors


def widen(dtype, raw):
    """Float tensor bytes to float32 numpy values."""
    if dtype == "F32":
        return np.frombuffer(raw, dtype="<f4").astype(np.float32)
    if dtype == "F16":
        return np.frombuffer(raw, dtype="<f2").astype(np.float32)
    if dtype == "BF16":
        return (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
    raise ValueError(dtype)


def bf16_bits(values):
    """float32 values narrowed by torch (round to nearest even) as uint16 bit patterns."""
    torch = _torch()
    t = torch.from_numpy(np.ascontiguousarray(values, dtype=np.float32)).to(torch.bfloat16)
    return t.view(torch.int16).numpy().view(np.uint16)


def f16_bits(values):
    with np.errstate(over="ignore"):  # overflow to infinity is the rounding under test
        return np.asarray(values, dtype=np.float32).astype(np.float16).view(np.uint16)


def f32_raw(values):
    return np.asarray(values, dtype="<f4").tobytes()


# ---------------------------------------------------------------- fixtures

def edge_values():
    v = [0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3.0, 2.0 / 3.0, 65504.0, 65519.0, 65520.0, 1e5,
         2.0 ** -14, 2.0 ** -15, 2.0 ** -24, 2.0 ** -25, 3 * 2.0 ** -26, 2.0 ** -25 * 1.0001, 1e-8, 6e-8,
         1e-5, -1e-5, 1.0 + 2.0 ** -8, 1.0 + 3 * 2.0 ** -8, 1.0 + 2.0 ** -11, 1.0 + 3 * 2.0 ** -11,
         3.4e38, -3.4e38, 1e-40, float("inf"), float("-inf"), float("nan"), 1e30, -2.5e-3]
    rng = np.random.default_rng(7)
    v += list(rng.standard_normal(32) * 10.0)
    return np.asarray(v, dtype=np.float32)


def write_value_fixture(path):
    x = edge_values()
    xb = bf16_bits(x)
    xh = f16_bits(x)
    tensors = {
        "x_f32": ("F32", [len(x)], f32_raw(x)),
        "x_bf16": ("BF16", [len(x)], xb.astype("<u2").tobytes()),
        "x_f16": ("F16", [len(x)], xh.astype("<u2").tobytes()),
        "x_bf16_widened": ("F32", [len(x)], f32_raw(widen("BF16", xb.tobytes()))),
        "x_f16_widened": ("F32", [len(x)], f32_raw(widen("F16", xh.tobytes()))),
        "matrix": ("F32", [2, 3], f32_raw([1.5, -2.0, 3.25, 0.0, 7.0, -0.125])),
        "scalar": ("F32", [], f32_raw([42.0])),
        "empty": ("F32", [0, 3], b""),
        "ids": ("I64", [3], np.asarray([1, -2, 3_000_000_000], dtype="<i8").tobytes()),
    }
    write_safetensors(path, tensors, {"format": "pt", "source": "hf_fixtures.py"})


def decoder_shapes(cfg):
    """Hugging Face tensor names and shapes of a qwen2 / llama / qwen3 / mistral decoder."""
    h, inter, layers = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_hidden_layers"]
    heads = cfg["num_attention_heads"]
    kv = cfg.get("num_key_value_heads", heads)
    hd = cfg.get("head_dim", h // heads)
    shapes = {"model.embed_tokens.weight": [cfg["vocab_size"], h]}
    for i in range(layers):
        p = f"model.layers.{i}."
        shapes[p + "self_attn.q_proj.weight"] = [heads * hd, h]
        shapes[p + "self_attn.k_proj.weight"] = [kv * hd, h]
        shapes[p + "self_attn.v_proj.weight"] = [kv * hd, h]
        shapes[p + "self_attn.o_proj.weight"] = [h, heads * hd]
        if cfg["model_type"] == "qwen2":
            shapes[p + "self_attn.q_proj.bias"] = [heads * hd]
            shapes[p + "self_attn.k_proj.bias"] = [kv * hd]
            shapes[p + "self_attn.v_proj.bias"] = [kv * hd]
        shapes[p + "mlp.gate_proj.weight"] = [inter, h]
        shapes[p + "mlp.up_proj.weight"] = [inter, h]
        shapes[p + "mlp.down_proj.weight"] = [h, inter]
        shapes[p + "input_layernorm.weight"] = [h]
        shapes[p + "post_attention_layernorm.weight"] = [h]
    shapes["model.norm.weight"] = [h]
    if not cfg.get("tie_word_embeddings", False):
        shapes["lm_head.weight"] = [cfg["vocab_size"], h]
    return shapes


def random_weights(cfg, seed):
    """BF16-exact random weights (norm weights near 1), so every dtype variant widens equal."""
    torch = _torch()
    g = torch.Generator().manual_seed(seed)
    weights = {}
    for name, shape in decoder_shapes(cfg).items():
        w = torch.randn(shape, generator=g) * 0.2
        if name.endswith("norm.weight"):
            w = 1.0 + w * 0.5
        weights[name] = w.to(torch.bfloat16).to(torch.float32).numpy()
    return weights


def tensor_bytes(weights, dtype):
    out = {}
    for name, w in weights.items():
        raw = f32_raw(w.ravel()) if dtype == "F32" else bf16_bits(w.ravel()).astype("<u2").tobytes()
        out[name] = (dtype, list(w.shape), raw)
    return out


def tokenizer_json(specials, words):
    vocab = {tok: i for i, tok in enumerate(specials + words)}
    added = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i, t in enumerate(specials)]
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
            "normalizer": None, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": None,
            "decoder": None, "model": {"type": "WordLevel", "vocab": vocab, "unk_token": specials[-1]}}


CHATML = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content']"
          " + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write("\n")


def write_model(dirname, cfg, files, weights, dtype, max_shard_bytes=None):
    """A model directory; with max_shard_bytes, shards as save_pretrained makes them: tensors in
    name order, a new shard when the next tensor would overflow the current one."""
    os.makedirs(dirname, exist_ok=True)
    for name, obj in files.items():
        write_json(os.path.join(dirname, name), obj)
    tensors = tensor_bytes(weights, dtype)
    if max_shard_bytes is None:
        write_safetensors(os.path.join(dirname, "model.safetensors"), tensors, {"format": "pt"})
        return
    shards, size = [], 0
    for name in sorted(tensors):
        n = len(tensors[name][2])
        if not shards or (size > 0 and size + n > max_shard_bytes):
            shards.append({})
            size = 0
        shards[-1][name] = tensors[name]
        size += n
    assert len(shards) > 1, "max_shard_bytes too large for a sharded fixture"
    weight_map = {}
    for s, part in enumerate(shards):
        file = f"model-{s + 1:05d}-of-{len(shards):05d}.safetensors"
        write_safetensors(os.path.join(dirname, file), part, {"format": "pt"})
        weight_map.update({n: file for n in part})
    total = sum(len(raw) for _, _, raw in tensors.values())
    with open(os.path.join(dirname, "model.safetensors.index.json"), "w", encoding="utf-8") as f:
        # as transformers' save_pretrained writes it
        f.write(json.dumps({"metadata": {"total_size": total}, "weight_map": weight_map},
                           indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def generate(out):
    os.makedirs(out, exist_ok=True)
    write_value_fixture(os.path.join(out, "python-written.safetensors"))

    qwen2 = {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 8,
             "intermediate_size": 16, "num_hidden_layers": 2, "num_attention_heads": 2,
             "num_key_value_heads": 1, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "vocab_size": 16,
             "max_position_embeddings": 64, "tie_word_embeddings": False, "torch_dtype": "bfloat16",
             "hidden_act": "silu", "bos_token_id": 0, "eos_token_id": 2, "use_sliding_window": False,
             "sliding_window": None, "rope_scaling": None}
    qwen2_files = {
        "config.json": qwen2,
        "generation_config.json": {"bos_token_id": 0, "eos_token_id": [2, 0], "do_sample": True},
        "tokenizer.json": tokenizer_json(["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
                                         [str(d) for d in range(10)] + ["a", "b", "c"]),
        "tokenizer_config.json": {"bos_token": None, "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>",
                                  "chat_template": CHATML, "model_max_length": 64,
                                  "tokenizer_class": "Qwen2Tokenizer"},
    }
    w = random_weights(qwen2, seed=1)
    write_model(os.path.join(out, "tiny-qwen2"), qwen2, qwen2_files, w, "F32")
    write_model(os.path.join(out, "tiny-qwen2-bf16"), qwen2, qwen2_files, w, "BF16")
    write_model(os.path.join(out, "tiny-qwen2-sharded"), qwen2, qwen2_files, w, "F32", max_shard_bytes=3000)

    llama = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 8,
             "intermediate_size": 12, "num_hidden_layers": 2, "num_attention_heads": 4,
             "num_key_value_heads": 2, "rms_norm_eps": 1e-5, "rope_theta": 500000.0, "vocab_size": 16,
             "max_position_embeddings": 128, "tie_word_embeddings": True, "torch_dtype": "float32",
             "hidden_act": "silu", "bos_token_id": 1, "eos_token_id": [2, 3], "attention_bias": False,
             "mlp_bias": False, "rope_scaling": {"rope_type": "default"}}
    added = {"__type": "AddedToken", "content": "<s>", "lstrip": False, "normalized": False,
             "rstrip": False, "single_word": False}
    llama_files = {
        "config.json": llama,
        "tokenizer.json": tokenizer_json(["<unk>", "<s>", "</s>", "<|eot_id|>"], [chr(c) for c in range(97, 109)]),
        "tokenizer_config.json": {"bos_token": added, "eos_token": "</s>", "pad_token": None,
                                  "add_bos_token": True, "tokenizer_class": "LlamaTokenizer"},
    }
    w = random_weights(llama, seed=2)
    write_model(os.path.join(out, "tiny-llama"), llama, llama_files, w, "F32")
    write_model(os.path.join(out, "tiny-llama-sharded-bf16"), llama, llama_files, w, "BF16", max_shard_bytes=1000)


def dump(paths):
    json.dump({path: dump_one(path) for path in paths}, sys.stdout, separators=(",", ":"))


def dump_one(path):
    metadata, tensors = read_safetensors(path)
    out = {}
    for name in sorted(tensors):
        dtype, shape, raw = tensors[name]
        entry = {"dtype": dtype, "shape": shape}
        if dtype in ("F32", "F16", "BF16"):
            values = widen(dtype, raw)
            entry["f32_bits"] = [int(b) for b in values.view(np.uint32)]
            if dtype == "F32":
                if _torch() is not None:
                    entry["bf16_bits"] = [int(b) for b in bf16_bits(values)]
                entry["f16_bits"] = [int(b) for b in f16_bits(values)]
        out[name] = entry
    return {"metadata": metadata, "tensors": out}


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "generate":
        generate(sys.argv[2])
    elif len(sys.argv) >= 3 and sys.argv[1] == "dump":
        try:
            dump(sys.argv[2:])
        except (ValueError, KeyError, UnicodeDecodeError, json.JSONDecodeError) as e:
            print(e, file=sys.stderr)
            sys.exit(1)
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
