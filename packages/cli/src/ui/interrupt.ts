/**
 * An AbortSignal that fires on the first Ctrl-C while `work` runs, so a long
 * job stops cleanly (requests in flight finish) instead of dying mid-write.
 * A second Ctrl-C exits at once.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error('interrupted (Ctrl-C); run the same command again to resume'));
  };
  process.on('SIGINT', onSigint);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
