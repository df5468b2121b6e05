#!/usr/bin/env python3
"""Writes the shipped harness-log examples in each tool's own file layout (stdlib only).

  data/eval-lm-eval/<model>/samples_gsm8k_<date>.jsonl[.gz]   lm-evaluation-harness --log_samples
  data/eval-inspect/<created>_gsm8k_<id>.eval                  inspect_ai .eval (zip of JSON)
  data/harness-logs/lighteval-details.json                     lighteval Detail rows, turned into
      data/eval-lighteval/details/<model>/<date>/details_<task>_<date>.parquet by LightevalParquet.java
  data/harness-logs/expected-<format>.csv                      the truth they were written from:
      model,task,problem_id,n,c,max_reward (what passk eval must count)

Two models answer the same 30 problems 8 times each (seeded); model B is better on most problems.
Re-run: python3 data/harness-logs/generate.py && \
        java -cp ~/.m2/repository/org/duckdb/duckdb_jdbc/2.0.0.1/duckdb_jdbc-2.0.0.1.jar \
             data/harness-logs/LightevalParquet.java
"""
import gzip
import hashlib
import json
import os
import random
import shutil
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = ["Qwen__Qwen2.5-0.5B-Instruct", "Qwen__Qwen2.5-1.5B-Instruct"]
LIGHTEVAL_MODELS = ["Qwen/Qwen2.5-0.5B-Instruct", "Qwen/Qwen2.5-1.5B-Instruct"]  # details/<org>/<name>/
INSPECT_MODELS = ["hf/Qwen/Qwen2.5-0.5B-Instruct", "hf/Qwen/Qwen2.5-1.5B-Instruct"]
PROBLEMS = 30
N = 8
DATE = "2025-01-15T10-00-00.123456"


def truth(seed):
    """correct[m][p] = list of N booleans; model 1 is better on most problems."""
    rng = random.Random(seed)
    out = []
    for m in range(2):
        rows = []
        for p in range(PROBLEMS):
            base = (p % 10) / 10.0
            q = min(1.0, max(0.0, base + (0.25 if m == 1 else 0.0) + rng.uniform(-0.1, 0.1)))
            rows.append([rng.random() < q for _ in range(N)])
        out.append(rows)
    return out


def digest(text):
    """lm-evaluation-harness's hash_string: sha256 hex of the text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def question(p):
    a, b = 3 + p, 7 * (p + 1)
    return f"Tom has {a} boxes with {b} apples each. How many apples?", str(a * b)


def write_expected(name, rows):
    with open(os.path.join(ROOT, "harness-logs", f"expected-{name}.csv"), "w") as f:
        f.write("model,task,problem_id,n,c,max_reward\n")
        for r in rows:
            f.write(",".join(str(x) for x in r) + "\n")


def lm_eval():
    d = os.path.join(ROOT, "eval-lm-eval")
    shutil.rmtree(d, ignore_errors=True)
    t = truth(1)
    expected = []
    for m, model in enumerate(MODELS):
        os.makedirs(os.path.join(d, model))
        path = os.path.join(d, model, f"samples_gsm8k_{DATE}.jsonl")
        lines = []
        for p in range(PROBLEMS):
            q, ans = question(p)
            resps = [("The answer is " + (ans if ok else str(int(ans) + 1 + i))) for i, ok in enumerate(t[m][p])]
            filtered = [ans if ok else str(int(ans) + 1 + i) for i, ok in enumerate(t[m][p])]
            prompt = f"Question: {q}\nAnswer:"
            sample = {
                "doc_id": p,
                "doc": {"question": q, "answer": f"#### {ans}"},
                "target": ans,
                "arguments": {"gen_args_0": {"arg_0": prompt, "arg_1": {
                    "until": ["Question:", "</s>"], "do_sample": True, "temperature": 0.6, "max_gen_toks": 256}}},
                "resps": [resps],
                "filtered_resps": [filtered],
                "filter": "strict-match",
                "metrics": ["exact_match"],
                "doc_hash": digest(json.dumps({"question": q, "answer": f"#### {ans}"}, indent=2, ensure_ascii=False)),
                "prompt_hash": digest(prompt),
                "target_hash": digest(ans),
                # a per-repeat metric: one exact_match per generated response
                "exact_match": [1.0 if ok else 0.0 for ok in t[m][p]],
            }
            lines.append(json.dumps(sample, ensure_ascii=False) + "\n")
            expected.append((model, "gsm8k", p, N, sum(t[m][p]), 1.0 if any(t[m][p]) else 0.0))
        if m == 0:
            with open(path, "w", encoding="utf-8") as f:
                f.writelines(lines)
        else:  # the second model's file gzipped: .jsonl.gz is read directly
            with open(path + ".gz", "wb") as raw:  # mtime 0: the same bytes on every run
                with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
                    f.write("".join(lines).encode("utf-8"))
    write_expected("lm-eval", expected)


def lighteval():
    t = truth(2)
    rows = []
    expected = []
    task = "lighteval|gsm8k|0"
    for m, model in enumerate(LIGHTEVAL_MODELS):
        for p in range(PROBLEMS):
            q, ans = question(p)
            ok = t[m][p]
            kept = N - 2 if p == 7 else N  # one document lost two generations (e.g. a timeout)
            texts = [(ans if ok[i] else str(int(ans) + 1 + i)) for i in range(kept)]
            c = sum(ok[:kept])
            rows.append({
                "model": model,
                "date": DATE,
                "task": task,
                "doc": {"query": f"Question: {q}\nAnswer:", "choices": [ans], "gold_index": 0, "id": str(p),
                        "task_name": task, "instruction": "", "num_samples": N, "generation_size": 256},
                # lighteval's pass@k:k=1&n=8 divides by n=8 even when fewer samples came back
                "metric": {"pass@k:k=1&n=8": c / N, "extractive_match": 1.0 if ok[0] else 0.0},
                "model_response": {"input": f"Question: {q}\nAnswer:", "text": texts,
                                   "input_tokens": [], "output_tokens": [], "truncated_tokens_count": 0,
                                   "padded_tokens_count": 0},
            })
            expected.append((model, task, p, kept, c, 1.0 if c > 0 else 0.0))
    with open(os.path.join(ROOT, "harness-logs", "lighteval-details.json"), "w") as f:
        json.dump(rows, f, indent=1)
    write_expected("lighteval", expected)


def inspect():
    d = os.path.join(ROOT, "eval-inspect")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    t = truth(3)
    rng = random.Random(4)
    expected = []
    for m, model in enumerate(INSPECT_MODELS):
        run_id = f"run{m}Xk2b9Q"
        eval_id = f"ev{m}Lq7PzT"
        created = f"2025-01-15T10:0{m}:00+00:00"
        spec = {"eval_set_id": None, "eval_id": eval_id, "run_id": run_id, "created": created, "task": "gsm8k",
                "task_id": f"task{m}", "task_version": 0, "task_file": "gsm8k.py", "task_attribs": {},
                "task_args": {}, "solver": None, "dataset": {"name": "gsm8k", "location": "openai/gsm8k",
                                                              "samples": PROBLEMS, "sample_ids": list(range(1, PROBLEMS + 1)),
                                                              "shuffled": False},
                "model": model, "model_generate_config": {"temperature": 0.6}, "model_args": {},
                "config": {"epochs": N, "epochs_reducer": ["mean"]}, "packages": {"inspect_ai": "0.3.60"},
                "scorers": [{"name": "match", "options": {}, "metrics": [{"name": "inspect_ai/accuracy", "options": {}}]}]}
        start = {"version": 2, "eval": spec, "plan": {"name": "plan", "steps": [{"solver": "generate", "params": {}}]}}
        summaries = []
        samples = {}
        for p in range(PROBLEMS):
            q, ans = question(p)
            sid = p + 1
            best = 0.0
            c = 0
            for e in range(1, N + 1):
                ok = t[m][p][e - 1]
                # a few incorrect answers get partial credit: the log becomes a reward input
                value = "C" if ok else ("P" if rng.random() < 0.1 else "I")
                score = {"value": value, "answer": ans if ok else str(int(ans) + e),
                         "explanation": f"The answer is {ans if ok else int(ans) + e}", "history": []}
                sample = {"id": sid, "epoch": e, "input": q, "target": ans,
                          "messages": [{"role": "user", "content": q, "source": "input"},
                                       {"role": "assistant", "content": score["explanation"], "source": "generate"}],
                          "output": {"model": model.split("/", 1)[1], "choices": [
                              {"message": {"role": "assistant", "content": score["explanation"]}, "stop_reason": "stop"}]},
                          "scores": {"match": score}, "metadata": {}, "store": {}, "events": [],
                          "model_usage": {}, "uuid": f"u{m}-{sid}-{e}"}
                samples[f"samples/{sid}_epoch_{e}.json"] = sample
                summaries.append({"id": sid, "epoch": e, "input": q, "target": ans,
                                  "scores": {"match": {"value": value}}, "uuid": sample["uuid"]})
                v = {"C": 1.0, "P": 0.5, "I": 0.0}[value]
                best = max(best, v)
                c += 1 if value == "C" else 0
            expected.append((model, "gsm8k", sid, N, c, best))
        header = dict(start)
        header.update({"status": "success", "results": {"total_samples": PROBLEMS * N,
                                                         "completed_samples": PROBLEMS * N, "scores": []},
                       "stats": {"started_at": created, "completed_at": created, "model_usage": {}}})
        name = f"2025-01-15T10-0{m}-00+00-00_gsm8k_{eval_id}.eval"
        with zipfile.ZipFile(os.path.join(d, name), "w", zipfile.ZIP_DEFLATED) as z:
            def put(entry, obj):  # a fixed timestamp: the same bytes on every run
                z.writestr(zipfile.ZipInfo(entry, (2025, 1, 15, 10, m, 0)), json.dumps(obj),
                           compress_type=zipfile.ZIP_DEFLATED)
            put("_journal/start.json", start)
            for k, s in samples.items():
                put(k, s)
            put("summaries.json", summaries)
            put("reductions.json", [])
            put("header.json", header)
    write_expected("inspect", expected)


if __name__ == "__main__":
    lm_eval()
    lighteval()
    inspect()
