/**
 * Runs `flush` every `everyMs`, one run at a time. A tick that comes while a run is still going is
 * passed over rather than queued: an SMTP server that answers slowly would otherwise pile up runs
 * without bound. `stop` ends the ticks and waits for a run in progress.
 */
export function startDigestFlushes(
  flush: () => Promise<void>,
  everyMs: number,
  onError: (error: unknown) => void,
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= flush()
      .catch(onError)
      .finally(() => {
        running = undefined;
      });
  }, everyMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
