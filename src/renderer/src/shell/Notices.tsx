/** How actions end (toasts, announced politely) and the one banner shown while the engine is unreachable. */
import type { Connection } from '../client';
import { useNow } from '../lib/useNow';
import { useApp, useStores } from '../stores';

export function Toasts() {
  const notices = useApp((state) => state.notices);
  const dismiss = useApp((state) => state.dismiss);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} className={`toast toast-${notice.kind}`}>
          <span>{notice.text}</span>
          <button
            type="button"
            className="toast-close"
            aria-label="Dismiss notification"
            onClick={() => dismiss(notice.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/**
 * One banner for "Almanac cannot be reached", whichever way it was found out: the page's token was
 * refused, the event stream lost its server (it reconnects by itself), or calls answer UNAVAILABLE.
 */
export function UnavailableBanner() {
  const connection = useApp((state) => state.connection);
  const unavailable = useApp((state) => state.unavailable);
  if (connection.state === 'unauthorized') {
    return (
      <div className="banner" role="alert" data-testid="token-needed">
        <span>
          <strong>This page needs its token.</strong> {connection.message}
        </span>
      </div>
    );
  }
  if (connection.state === 'lost') return <LostBanner connection={connection} />;
  if (!unavailable) return null;
  return <EngineUnreachable message={unavailable} />;
}

function LostBanner({ connection }: { connection: Extract<Connection, { state: 'lost' }> }) {
  const { reconnectNow } = useStores();
  const now = useNow();
  const seconds = connection.retryAt === null ? 0 : Math.ceil((connection.retryAt - now) / 1000);
  return (
    <div className="banner" role="alert" data-testid="connection-lost">
      <span>
        <strong>Lost the connection to Almanac’s server</strong> ({connection.reason}).{' '}
        {seconds > 0 ? `Reconnecting in ${seconds} s…` : 'Reconnecting…'} What is shown may be out of date.
      </span>
      <button type="button" className="button small" onClick={reconnectNow}>
        Retry now
      </button>
    </div>
  );
}

function EngineUnreachable({ message }: { message: string }) {
  const { reload } = useStores();
  return (
    <div className="banner" role="alert">
      <span>
        <strong>Almanac’s engine is unreachable.</strong> {message}
      </span>
      <button type="button" className="button small" onClick={() => void reload()}>
        Retry
      </button>
    </div>
  );
}
