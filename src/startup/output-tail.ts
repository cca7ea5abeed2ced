// Keeps the last few kilobytes a child process printed, so a start-up error can show them.

/** The tail of a stream of output chunks. */
export interface OutputTail {
  push(chunk: Buffer | string): void;
  text(): string;
}

/** A tail of at most `maxChars` characters. */
export function outputTail(maxChars = 4_000): OutputTail {
  let text = '';
  return {
    push(chunk) {
      text = (text + chunk.toString()).slice(-maxChars);
    },
    text: () => text,
  };
}
