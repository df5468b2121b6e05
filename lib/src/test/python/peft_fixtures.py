#!/usr/bin/python3
"""Independent PEFT LoRA adapter writer and merge oracle for passk's io.passk.hf.peft tests.

Written with struct + numpy only (the safetensors format from hf_fixtures.py): no `peft`,
`safetensors` or `transformers` package, so it shares no code with the Java under test.

    python3 peft_fixtures.py generate lib/src/test/resources/hf
        writes the committed fixtures (deterministic: run it again and git shows no change):
        tiny-qwen2-lora/                 a LoRA adapter for tiny-qwen2 as PEFT's save_pretrained
                                         writes it: adapter_config.json (PEFT 0.13's LoraConfig
                                         fields, json.dumps(indent=2, sort_keys=True), no final
                                         newline) and adapter_model.safetensors (F32, metadata
                                         {"format": "pt"}, names base_model.model.model.layers.L.
                                         self_attn.q_proj.lora_A.weight [r, in] / lora_B [out, r]);
                                         r 2, lora_alpha 3 (scaling 1.5), targets q_proj, k_proj,
                                         o_proj, up_proj, down_proj (v_proj and gate_proj stay as
                                         they are); base_model_name_or_path is a hub id that is not
                                         on disk, so a merge must be given the base; no
                                         passk_adapter.json (an adapter from elsewhere)
        tiny-qwen2-lora-merged.safetensors  every tensor of tiny-qwen2 after merging the adapter:
                                         W + scaling * B @ A in float64, rounded to float32 once
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hf_fixtures import f32_raw, read_safetensors, widen, write_safetensors  # noqa: E402

RANK = 2
ALPHA = 3
TARGETS = ["q_proj", "k_proj", "o_proj", "up_proj", "down_proj"]
BASE_ID = "passk-test/tiny-qwen2"


def module_path(module):
    return ("self_attn." if module in ("q_proj", "k_proj", "v_proj", "o_proj") else "mlp.") + module


def adapter_config():
    """What PEFT 0.13's LoraConfig.save_pretrained writes for these settings (its to_dict
    without runtime_config; target_modules is a set there, sorted here)."""
    return {
        "alpha_pattern": {},
        "auto_mapping": None,
        "base_model_name_or_path": BASE_ID,
        "bias": "none",
        "fan_in_fan_out": False,
        "inference_mode": True,
        "init_lora_weights": True,
        "layer_replication": None,
        "layers_pattern": None,
        "layers_to_transform": None,
        "loftq_config": {},
        "lora_alpha": ALPHA,
        "lora_dropout": 0.0,
        "megatron_config": None,
        "megatron_core": "megatron.core",
        "modules_to_save": None,
        "peft_type": "LORA",
        "r": RANK,
        "rank_pattern": {},
        "revision": None,
        "target_modules": sorted(TARGETS),
        "task_type": "CAUSAL_LM",
        "use_dora": False,
        "use_rslora": False,
    }


def generate(out):
    _, base_raw = read_safetensors(os.path.join(out, "tiny-qwen2", "model.safetensors"))
    base = {name: widen(dtype, raw).reshape(shape) for name, (dtype, shape, raw) in base_raw.items()}
    layers = 1 + max(int(n.split(".")[2]) for n in base if n.startswith("model.layers."))
    rng = np.random.default_rng(18)
    adapter = {}
    merged = {name: w.astype(np.float64) for name, w in base.items()}
    scaling = ALPHA / RANK
    for layer in range(layers):
        for module in TARGETS:
            weight = f"model.layers.{layer}.{module_path(module)}.weight"
            out_dim, in_dim = base[weight].shape
            a = (rng.standard_normal((RANK, in_dim)) * 0.3).astype(np.float32)
            b = (rng.standard_normal((out_dim, RANK)) * 0.2).astype(np.float32)
            prefix = f"base_model.model.model.layers.{layer}.{module_path(module)}"
            adapter[prefix + ".lora_A.weight"] = a
            adapter[prefix + ".lora_B.weight"] = b
            merged[weight] = merged[weight] + scaling * (b.astype(np.float64) @ a.astype(np.float64))
    adapter_dir = os.path.join(out, "tiny-qwen2-lora")
    os.makedirs(adapter_dir, exist_ok=True)
    with open(os.path.join(adapter_dir, "adapter_config.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(adapter_config(), indent=2, sort_keys=True))
    write_safetensors(os.path.join(adapter_dir, "adapter_model.safetensors"),
                      {n: ("F32", list(t.shape), f32_raw(t.ravel())) for n, t in adapter.items()}, {"format": "pt"})
    write_safetensors(os.path.join(out, "tiny-qwen2-lora-merged.safetensors"),
                      {n: ("F32", list(t.shape), f32_raw(t.astype(np.float32).ravel())) for n, t in merged.items()},
                      {"format": "pt"})


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "generate":
        generate(sys.argv[2])
    else:
        sys.exit(__doc__)
