/**
 * Ctrl-C stops long work cleanly: the first SIGINT asks the command to stop at the next safe
 * point (between atomic units, so nothing is half-written); a second one exits at once.
 */
export function interruptible(onFirst: () => void = () => undefined): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) {
      process.stderr.write('\nStopping now.\n');
      process.exit(130);
    }
    process.stderr.write('\nStopping after the current step (Ctrl-C again to stop at once)...\n');
    controller.abort();
    onFirst();
  };
  process.on('SIGINT', handler);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', handler) };
}
