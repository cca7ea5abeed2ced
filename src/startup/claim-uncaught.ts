// Catches the uncaught exceptions a library throws from its own callbacks (an 'error' event on a child
// process nobody listens to), so the start that caused them can fail with a message instead of a crash.

/**
 * Until the returned function is called, hands uncaught exceptions that `match` recognises to `onClaim`.
 * Any other one behaves as if this listener were not there: it still crashes the process when nothing
 * else handles it.
 */
export function claimUncaught(match: (error: unknown) => boolean, onClaim: (error: Error) => void): () => void {
  const listener = (error: Error) => {
    if (match(error)) {
      onClaim(error);
      return;
    }
    if (process.listenerCount('uncaughtException') > 1) return;
    // We were the only listener, so without us Node would have crashed: do what it would have done.
    release();
    process.nextTick(() => {
      throw error;
    });
  };
  const release = () => process.off('uncaughtException', listener);
  process.on('uncaughtException', listener);
  return release;
}
