// Runs async tasks at most `max` at a time, in the order they were handed in: 1,000 subscriptions are
// reconciled without opening 5,000 connections to 2C2P at once.

/** A function that runs `task` once fewer than `max` tasks it was given are running. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** A limiter of `max` concurrent tasks; RangeError unless `max` is a positive integer. */
export function createLimiter(max: number): Limiter {
  if (!Number.isInteger(max) || max < 1) throw new RangeError('concurrency must be a positive integer');
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    running -= 1;
    waiting.shift()?.();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
