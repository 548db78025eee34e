/** How actions end (toasts, announced politely) and the banner shown while the engine is unreachable. */
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

export function UnavailableBanner() {
  const { reload } = useStores();
  const unavailable = useApp((state) => state.unavailable);
  if (!unavailable) return null;
  return (
    <div className="banner" role="alert">
      <span>
        <strong>Almanac’s engine is unreachable.</strong> {unavailable}
      </span>
      <button type="button" className="button small" onClick={() => void reload()}>
        Retry
      </button>
    </div>
  );
}
