/**
 * What browser mode's server and page agree on beyond the contract: where the token travels and how
 * the event stream proves it is alive.
 */

/** The printed address carries the token in its fragment, `#token=…`, which no browser sends to a server. */
export const TOKEN_PARAM = 'token';

/** A frame the server sends on every event stream this often, so the page can tell a silent server from a lost one. */
export const HEARTBEAT_MS = 2000;
export const HEARTBEAT_EVENT = 'heartbeat';
/** With nothing heard on the stream for this long, the page takes the server for lost (a missed heartbeat and more). */
export const STALE_AFTER_MS = 5000;
