// A node:test reporter that appends each test's life events to RECUR_TEST_EVENTS as NDJSON, synchronously,
// so the runner still has them when the process ends abruptly. It prints nothing itself.
import { appendFileSync } from 'node:fs';

const TRACKED = new Set(['test:enqueue', 'test:dequeue', 'test:complete', 'test:pass', 'test:fail']);
const destination = process.env.RECUR_TEST_EVENTS;

/** First line of a failure, with its cause, short enough for a summary. */
function describeError(error) {
  if (!error) return undefined;
  const own = error.cause instanceof Error ? error.cause : error;
  const first = String(own.message ?? own).split('\n')[0] ?? '';
  const kind = error.failureType && error.failureType !== 'testCodeFailure' ? `${error.failureType}: ` : '';
  return `${kind}${first}`.slice(0, 300);
}

function record(line) {
  if (destination) appendFileSync(destination, `${JSON.stringify(line)}\n`);
}

/** @param {AsyncIterable<{ type: string, data: any }>} source */
// eslint-disable-next-line require-yield -- node:test wants a generator; this one writes files instead of yielding text
export default async function* eventReporter(source) {
  for await (const event of source) {
    if (!TRACKED.has(event.type)) continue;
    const data = event.data ?? {};
    record({
      type: event.type,
      name: data.name,
      nesting: data.nesting,
      fileLevel: data.file !== undefined && data.name === data.file,
      suite: data.details?.type === 'suite',
      skip: data.skip !== undefined && data.skip !== false,
      todo: data.todo !== undefined && data.todo !== false,
      error: event.type === 'test:fail' ? describeError(data.details?.error) : undefined,
      at: Date.now(),
    });
  }
  record({ type: 'end', at: Date.now() });
}
