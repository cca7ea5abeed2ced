// Entry point of the `recur` command (bin/recur.mjs imports this module; `npm run recur` runs it with tsx).
import { run } from './run.js';

const code = await run(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
});
// Exit explicitly: an idle keep-alive socket of fetch must not hold a one-shot command open.
process.exit(code);
