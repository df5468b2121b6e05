#!/usr/bin/python3
"""The PyTorch peer of `passk bench sample --peer torch` (io.passk.bench.TorchPeerBenchmark).

A plain eager Qwen2 forward in PyTorch (written from the architecture: RMSNorm, rotary embeddings
with rotate_half, grouped-query attention with repeat_kv, SwiGLU MLP, tied or untied head), with a
key/value cache, doing the work the Java side does, so that the two can be timed side by side:

    python3 qwen2_torch_peer.py write DIR --layers L [--vocab V] [--seed S]
        writes a random Qwen2.5-0.5B-shaped model directory (hidden 896, 14 heads, 2 key/value
        heads, intermediate 4864, q/k/v biases, tied embeddings; L layers, vocabulary V, default
        151936): config.json, tokenizer.json (a word-level tokenizer with one word per id, so that
        every id decodes), tokenizer_config.json, model.safetensors in BF16 (both sides widen the
        same bits to float32), streamed tensor by tensor.

    python3 qwen2_torch_peer.py run DIR WORK.json --threads N
        WORK.json: {"prompts": [[ids]] (equal lengths), "new_tokens": n, "learner_prompts": [[ids]],
        "learner_responses": [[ids]], "learner_steps": s, "learning_rate": lr}. Prints one JSON line:
          prefill_s, prefill_peak_bytes   forward of the prompts through the head at the last column
                                           (logits copied out), the cache filled; peak RSS of the
                                           process during it (the weights included)
          decode_s, tokens                n - 1 cached steps of one token per row, greedy, with the
                                           log-softmax and entropy of every row (what a sampler
                                           records), the chosen ids
          learner_step_s [s], learner_peak_bytes, learner_losses
                                           forward (no cache) + log-softmax at the response positions
                                           + mean negative log-likelihood + backward + clip of the
                                           global gradient norm to 1 + Adam, per step; peak RSS over
                                           the steps (the first step, which allocates Adam's state,
                                           included)
          cpu_s                           process CPU seconds of prefill, decode and the mean learner
                                           step after the first
        Peak RSS is VmHWM after malloc_trim(0) and writing 5 to /proc/self/clear_refs once the
        weights are loaded.

Needs torch (1.13 as Debian's python3-torch ships it) and numpy only.
"""
import argparse
import gc
import json
import math
import os
import struct
import sys
import time

import numpy as np

HIDDEN, INTERMEDIATE, HEADS, KV_HEADS, HEAD_DIM = 896, 4864, 14, 2, 64
EPS, THETA = 1e-6, 1000000.0


# ------------------------------------------------------------------ files

def shapes(layers, vocab):
    out = {"model.embed_tokens.weight": (vocab, HIDDEN), "model.norm.weight": (HIDDEN,)}
    for i in range(layers):
        p = f"model.layers.{i}."
        out.update({
            p + "input_layernorm.weight": (HIDDEN,),
            p + "post_attention_layernorm.weight": (HIDDEN,),
            p + "self_attn.q_proj.weight": (HEADS * HEAD_DIM, HIDDEN),
            p + "self_attn.q_proj.bias": (HEADS * HEAD_DIM,),
            p + "self_attn.k_proj.weight": (KV_HEADS * HEAD_DIM, HIDDEN),
            p + "self_attn.k_proj.bias": (KV_HEADS * HEAD_DIM,),
            p + "self_attn.v_proj.weight": (KV_HEADS * HEAD_DIM, HIDDEN),
            p + "self_attn.v_proj.bias": (KV_HEADS * HEAD_DIM,),
            p + "self_attn.o_proj.weight": (HIDDEN, HEADS * HEAD_DIM),
            p + "mlp.gate_proj.weight": (INTERMEDIATE, HIDDEN),
            p + "mlp.up_proj.weight": (INTERMEDIATE, HIDDEN),
            p + "mlp.down_proj.weight": (HIDDEN, INTERMEDIATE),
        })
    return out


def bf16_bits(x):
    """float32 -> bfloat16 bits, round to nearest even."""
    u = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)


def write(args):
    os.makedirs(args.dir, exist_ok=True)
    layers, vocab = args.layers, args.vocab
    cfg = {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_act": "silu",
           "hidden_size": HIDDEN, "intermediate_size": INTERMEDIATE, "num_hidden_layers": layers,
           "num_attention_heads": HEADS, "num_key_value_heads": KV_HEADS, "max_position_embeddings": 32768,
           "rms_norm_eps": EPS, "rope_theta": THETA, "tie_word_embeddings": True, "torch_dtype": "bfloat16",
           "vocab_size": vocab, "bos_token_id": 0, "eos_token_id": 0, "use_sliding_window": False,
           "sliding_window": None, "rope_scaling": None}
    words = ["<|endoftext|>"] + [f"t{i}" for i in range(1, vocab)]
    tok = {"version": "1.0", "truncation": None, "padding": None,
           "added_tokens": [{"id": 0, "content": words[0], "single_word": False, "lstrip": False,
                             "rstrip": False, "normalized": False, "special": True}],
           "normalizer": None, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": None, "decoder": None,
           "model": {"type": "WordLevel", "vocab": {w: i for i, w in enumerate(words)}, "unk_token": words[0]}}
    for name, obj in [("config.json", cfg), ("tokenizer.json", tok),
                      ("tokenizer_config.json", {"eos_token": words[0], "model_max_length": 32768})]:
        with open(os.path.join(args.dir, name), "w", encoding="utf-8") as f:
            json.dump(obj, f)
    sh = shapes(layers, vocab)
    names = sorted(sh)
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for n in names:
        size = 2 * int(np.prod(sh[n]))
        header[n] = {"dtype": "BF16", "shape": list(sh[n]), "data_offsets": [offset, offset + size]}
        offset += size
    hb = json.dumps(header, separators=(",", ":")).encode()
    hb += b" " * ((8 - len(hb) % 8) % 8)
    rng = np.random.default_rng(args.seed)
    with open(os.path.join(args.dir, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for n in names:
            if n.endswith("norm.weight"):
                x = np.ones(sh[n], dtype=np.float32)
            else:
                x = rng.standard_normal(sh[n], dtype=np.float32) * np.float32(0.02)
            f.write(bf16_bits(x).tobytes())
    print(json.dumps({"dir": args.dir, "layers": layers, "vocab": vocab, "bytes": 8 + len(hb) + offset}))


def read_safetensors(path, torch):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        base = 8 + n
        out = {}
        for name, info in header.items():
            if name == "__metadata__":
                continue
            a, b = info["data_offsets"]
            f.seek(base + a)
            raw = f.read(b - a)
            if info["dtype"] == "BF16":
                x = (np.frombuffer(raw, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32)
            elif info["dtype"] == "F32":
                x = np.frombuffer(raw, dtype=np.float32).copy()
            else:
                sys.exit(f"{path}: {name} is {info['dtype']}; the peer reads BF16 and F32")
            out[name] = torch.from_numpy(x.reshape(info["shape"]))
            del raw
    return out


# ------------------------------------------------------------------ model

class Qwen2:
    def __init__(self, cfg, w, torch):
        self.t = torch
        self.cfg = cfg
        self.w = w
        self.layers = cfg["num_hidden_layers"]
        self.heads = cfg["num_attention_heads"]
        self.kv = cfg["num_key_value_heads"]
        self.hd = cfg.get("head_dim", cfg["hidden_size"] // self.heads)
        self.eps = cfg["rms_norm_eps"]
        self.head_w = w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings") else w["lm_head.weight"]
        self.inv_freq = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, self.hd, 2, dtype=torch.int64).float() / self.hd))

    def rms(self, x, w):
        return w * (x * self.t.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))

    def rotary(self, positions):
        angles = positions.float()[..., None] * self.inv_freq          # (T, hd/2)
        emb = self.t.cat((angles, angles), dim=-1)
        return emb.cos(), emb.sin()

    @staticmethod
    def rotate_half(x, torch):
        h = x.shape[-1] // 2
        return torch.cat((-x[..., h:], x[..., :h]), dim=-1)

    def hidden(self, ids, cache=None):
        """Final hidden states of ids (B, T) at positions past..past+T-1; cache: list of [k, v] per layer."""
        torch, F = self.t, self.t.nn.functional
        B, T = ids.shape
        past = 0 if cache is None or cache[0] is None else cache[0][0].shape[2]
        cos, sin = self.rotary(torch.arange(past, past + T))
        x = F.embedding(ids, self.w["model.embed_tokens.weight"])
        mask = None
        if T > 1:
            mask = torch.full((T, past + T), float("-inf")).triu(past + 1)
        group = self.heads // self.kv
        for i in range(self.layers):
            p = f"model.layers.{i}."
            w = self.w
            h = self.rms(x, w[p + "input_layernorm.weight"])
            q = F.linear(h, w[p + "self_attn.q_proj.weight"], w[p + "self_attn.q_proj.bias"])
            k = F.linear(h, w[p + "self_attn.k_proj.weight"], w[p + "self_attn.k_proj.bias"])
            v = F.linear(h, w[p + "self_attn.v_proj.weight"], w[p + "self_attn.v_proj.bias"])
            q = q.view(B, T, self.heads, self.hd).transpose(1, 2)
            k = k.view(B, T, self.kv, self.hd).transpose(1, 2)
            v = v.view(B, T, self.kv, self.hd).transpose(1, 2)
            q = q * cos + self.rotate_half(q, torch) * sin
            k = k * cos + self.rotate_half(k, torch) * sin
            if cache is not None:
                if cache[i] is not None:
                    k = torch.cat((cache[i][0], k), dim=2)
                    v = torch.cat((cache[i][1], v), dim=2)
                cache[i] = [k, v]
            kr = k[:, :, None].expand(B, self.kv, group, k.shape[2], self.hd).reshape(B, self.heads, k.shape[2], self.hd)
            vr = v[:, :, None].expand(B, self.kv, group, v.shape[2], self.hd).reshape(B, self.heads, v.shape[2], self.hd)
            scores = torch.matmul(q, kr.transpose(2, 3)) / math.sqrt(self.hd)
            if mask is not None:
                scores = scores + mask
            attn = torch.matmul(F.softmax(scores, dim=-1), vr)
            attn = attn.transpose(1, 2).reshape(B, T, self.heads * self.hd)
            x = x + F.linear(attn, w[p + "self_attn.o_proj.weight"])
            h = self.rms(x, w[p + "post_attention_layernorm.weight"])
            x = x + F.linear(F.silu(F.linear(h, w[p + "mlp.gate_proj.weight"])) * F.linear(h, w[p + "mlp.up_proj.weight"]),
                             w[p + "mlp.down_proj.weight"])
        return self.rms(x, self.w["model.norm.weight"])

    def head(self, h):
        return self.t.nn.functional.linear(h, self.head_w)


def peak_reset():
    """Frees the C heap's free memory (as the Java side does) and resets the peak resident size."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def peak_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return -1


def choose(torch, logits):
    """Greedy ids of (B, V) logits, with what a sampler records: the chosen log-probability and the entropy."""
    logp = torch.log_softmax(logits, dim=-1)
    ids = torch.argmax(logits, dim=-1)
    chosen = logp.gather(-1, ids[:, None])
    entropy = -(logp.exp() * logp).sum(-1)
    return ids, chosen, entropy


def blas_threads(n):
    """Sizes OpenBLAS's own thread pool to n, where the process has loaded OpenBLAS; its count after.

    Debian's torch multiplies matrices through OpenBLAS (pthreads), whose pool torch.set_num_threads
    does not size: without this a peer of one thread ran its products on every core (measured
    2026-12-07: 43.3 CPU seconds in 23.1 s of 1-thread prefill on 2 cores). None without OpenBLAS.
    """
    import ctypes
    try:
        lib = ctypes.CDLL("libopenblas.so.0", mode=os.RTLD_NOLOAD | os.RTLD_GLOBAL)
    except OSError:
        return None
    lib.openblas_set_num_threads(n)
    return lib.openblas_get_num_threads()


def run(args):
    import torch
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    blas = blas_threads(args.threads)
    with open(os.path.join(args.dir, "config.json")) as f:
        cfg = json.load(f)
    if cfg.get("model_type") != "qwen2":
        sys.exit(f"{args.dir}: model_type {cfg.get('model_type')}; the peer runs qwen2")
    with open(args.work) as f:
        work = json.load(f)
    w = read_safetensors(os.path.join(args.dir, "model.safetensors"), torch)
    model = Qwen2(cfg, w, torch)
    out = {"threads": torch.get_num_threads(), "blas_threads": blas, "torch": torch.__version__}

    prompts = torch.tensor(work["prompts"], dtype=torch.int64)
    n = work["new_tokens"]
    gc.collect()
    peak_reset()
    with torch.no_grad():
        cache = [None] * model.layers
        c0 = time.process_time()
        t0 = time.perf_counter()
        logits = model.head(model.hidden(prompts, cache)[:, -1, :]).contiguous()
        host = logits.numpy().copy()
        t1 = time.perf_counter()
        c1 = time.process_time()
        out["prefill_s"] = t1 - t0
        out["prefill_peak_bytes"] = peak_bytes()
        del host
        tokens = []
        ids, _, _ = choose(torch, logits)
        tokens.append(ids)
        for _ in range(n - 1):
            logits = model.head(model.hidden(ids[:, None], cache)[:, -1, :])
            ids, _, _ = choose(torch, logits)
            tokens.append(ids)
        t2 = time.perf_counter()
        cpu = [c1 - c0, time.process_time() - c1, 0.0]
        out["decode_s"] = t2 - t1
        out["decode_peak_bytes"] = peak_bytes()
        out["tokens"] = torch.stack(tokens, dim=1).tolist()
    del cache, logits, tokens
    gc.collect()

    lp_prompts, lp_resp = work["learner_prompts"], work["learner_responses"]
    if lp_prompts:
        plen, rlen = len(lp_prompts[0]), len(lp_resp[0])
        ids = torch.tensor([p + r for p, r in zip(lp_prompts, lp_resp)], dtype=torch.int64)
        targets = torch.tensor(lp_resp, dtype=torch.int64)
        params = list(w.values())
        for p in params:
            p.requires_grad_(True)
        opt = torch.optim.Adam(params, lr=work["learning_rate"], betas=(0.9, 0.999), eps=1e-8)
        gc.collect()
        peak_reset()
        times, losses = [], []
        for step in range(work["learner_steps"]):
            c0 = time.process_time()
            t0 = time.perf_counter()
            h = model.hidden(ids)[:, plen - 1:plen - 1 + rlen, :]
            logp = torch.log_softmax(model.head(h), dim=-1).gather(-1, targets[..., None]).squeeze(-1)
            loss = -logp.sum() / logp.numel()
            losses.append(loss.item())
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            opt.zero_grad(set_to_none=False)
            del h, logp, loss
            times.append(time.perf_counter() - t0)
            if step > 0:
                cpu[2] += (time.process_time() - c0) / (work["learner_steps"] - 1)
        out["learner_step_s"] = times
        out["learner_peak_bytes"] = peak_bytes()
        out["learner_losses"] = losses
    out["cpu_s"] = cpu
    print(json.dumps(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("write")
    a.add_argument("dir")
    a.add_argument("--layers", type=int, required=True)
    a.add_argument("--vocab", type=int, default=151936)
    a.add_argument("--seed", type=int, default=1)
    b = sub.add_parser("run")
    b.add_argument("dir")
    b.add_argument("work")
    b.add_argument("--threads", type=int, required=True)
    args = ap.parse_args()
    write(args) if args.cmd == "write" else run(args)


if __name__ == "__main__":
    main()
