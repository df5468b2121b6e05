#!/usr/bin/env python3
"""Cross-check of passk's LoRA adapters and merges against Hugging Face PEFT itself (optional).

Needs a Python with torch, transformers and peft (not the Debian python3 the tests use; e.g. a
virtual environment with those packages). Not run by the build:

    python peft_crosscheck.py BASE ADAPTER MERGED
        BASE     the base model directory (e.g. lib/src/test/resources/hf/tiny-qwen2)
        ADAPTER  an adapter directory (written by passk, or tiny-qwen2-lora)
        MERGED   `passk export --merge --checkpoint ADAPTER --base BASE --out MERGED`

Checks, exiting 1 on a failure: PeftModel.from_pretrained(base, ADAPTER) loads it; its logits
equal MERGED's to 1e-5; merge_and_unload()'s weights equal MERGED's to 1e-6; PEFT's own
save_pretrained of the same LoraConfig writes the same tensor names, shapes and metadata, and
every key of ADAPTER's adapter_config.json with the same value (target_modules as a set).
"""
import json
import sys
import tempfile

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from safetensors import safe_open
from transformers import AutoModelForCausalLM


def load(path):
    return AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32).eval()


def logits(model, ids):
    with torch.no_grad():
        return model(ids).logits


def tensors(path):
    with safe_open(path, "pt") as f:
        return {k: tuple(f.get_slice(k).get_shape()) for k in f.keys()}, f.metadata()


def main(base_dir, adapter_dir, merged_dir):
    failures = []
    ids = torch.tensor([[0, 3, 5, 7, 9, 11, 13, 4]])
    peft_model = PeftModel.from_pretrained(load(base_dir), adapter_dir).eval()
    merged = load(merged_dir)
    d_logits = (logits(peft_model, ids) - logits(merged, ids)).abs().max().item()
    print(f"max |PeftModel - merged| logits: {d_logits:.3g}")
    if d_logits > 1e-5:
        failures.append("logits")
    unloaded = peft_model.merge_and_unload().state_dict()
    d_weights = max((unloaded[k] - v).abs().max().item() for k, v in merged.state_dict().items())
    print(f"max |merge_and_unload - merged| weights: {d_weights:.3g}")
    if d_weights > 1e-6:
        failures.append("weights")

    ours = json.load(open(f"{adapter_dir}/adapter_config.json"))
    cfg = LoraConfig(r=ours["r"], lora_alpha=ours["lora_alpha"], lora_dropout=ours["lora_dropout"],
                     target_modules=ours["target_modules"], task_type="CAUSAL_LM")
    saved = tempfile.mkdtemp()
    get_peft_model(load(base_dir), cfg).save_pretrained(saved)
    theirs = json.load(open(f"{saved}/adapter_config.json"))
    for key, value in ours.items():
        if key == "base_model_name_or_path":
            continue
        other = theirs.get(key, "<absent>")
        if key == "target_modules" and isinstance(other, list):
            value, other = sorted(value), sorted(other)
        if value != other:
            failures.append(f"adapter_config.json {key}: {value!r} vs PEFT's {other!r}")
    print("keys PEFT writes that passk leaves to their defaults:", sorted(set(theirs) - set(ours)))
    if tensors(f"{saved}/adapter_model.safetensors") != tensors(f"{adapter_dir}/adapter_model.safetensors"):
        failures.append("adapter_model.safetensors names, shapes or metadata differ from PEFT's")
    for f in failures:
        print("FAILED:", f)
    print("ok" if not failures else f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
