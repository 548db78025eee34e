/**
 * The two Electron IPC channels: calls go in on one, events come out on the other. A file of its own
 * so the sandboxed preload bundles these two strings and nothing of the contract's schemas.
 */
export const IPC_CHANNELS = { invoke: 'almanac:invoke', event: 'almanac:event' } as const;
