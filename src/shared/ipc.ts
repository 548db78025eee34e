/**
 * The Electron IPC channels: calls go in on one, events come out on another, and a clicked
 * notification's run goes to the page on the third. A file of its own so the sandboxed preload
 * bundles these strings and nothing of the contract's schemas.
 */
export const IPC_CHANNELS = {
  invoke: 'almanac:invoke',
  event: 'almanac:event',
  openRun: 'almanac:open-run',
} as const;

/** What the desktop preload adds to the contract on `window.almanac`. */
export interface DesktopHooks {
  /** Called with a run's id when its native notification is clicked; returns the unsubscribe. */
  onOpenRun(listener: (runId: string) => void): () => void;
}
