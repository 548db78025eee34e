/**
 * What the person must be told about this start (`app.status` notices: a restored backup, a fresh
 * store …), as banners at the top of the main area until dismissed. Reloading the status after a
 * reconnect brings back the same notices, which stay dismissed.
 */
import { useState } from 'react';
import type { AppNotice } from '../../../shared/api';
import { formatInstant } from '../lib/time';
import { useApp } from '../stores';

const NO_NOTICES: AppNotice[] = [];
const LEVEL_LABEL: Record<AppNotice['level'], string> = {
  info: 'Note',
  warning: 'Warning',
  error: 'Problem at start',
};

const keyOf = (notice: AppNotice): string => `${notice.at}|${notice.level}|${notice.message}`;

export function StartupNotices() {
  const notices = useApp((state) => state.status?.notices ?? NO_NOTICES);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(() => new Set());
  const shown = notices.filter((notice) => !dismissed.has(keyOf(notice)));
  if (shown.length === 0) return null;
  return (
    <section className="startup-notices" aria-label="Startup notices">
      {shown.map((notice) => {
        const key = keyOf(notice);
        return (
          <div
            key={key}
            className={`startup-notice startup-notice-${notice.level}`}
            role={notice.level === 'info' ? 'status' : 'alert'}
            data-testid="startup-notice"
          >
            <span className="startup-notice-icon" aria-hidden="true">
              {notice.level === 'info' ? 'i' : '!'}
            </span>
            <div className="startup-notice-text">
              <strong>{LEVEL_LABEL[notice.level]}</strong> {notice.message}
              <span className="startup-notice-at muted">
                {' '}
                · {formatInstant(notice.at, { seconds: false })}
              </span>
            </div>
            <button
              type="button"
              className="button small ghost"
              aria-label={`Dismiss: ${notice.message}`}
              onClick={() => setDismissed((current) => new Set(current).add(key))}
            >
              Dismiss
            </button>
          </div>
        );
      })}
    </section>
  );
}
