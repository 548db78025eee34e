/**
 * Settings → Backups: the automatic backups of `backups/` (`backups.list`), newest first, each with
 * "Restore this backup". A restore confirms first, then is done at the next start: the engine keeps
 * the database open while it runs, so the file is swapped before the store opens, and the current
 * one is kept aside (as recovery does). The window says so plainly, and shows a restore asked for.
 */
import { DateTime } from 'luxon';
import { useCallback, useEffect, useId, useState } from 'react';
import type { BackupInfo, BackupList, Result } from '../../../../shared/api';
import { useStores } from '../../stores';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { formatBytes } from '../../ui/FileDrop';
import './data.css';

export function formatTaken(iso: string): string {
  const at = DateTime.fromISO(iso);
  return at.toLocaleString({
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(at.year === DateTime.now().year ? {} : { year: 'numeric' }),
    hour: 'numeric',
    minute: '2-digit',
  });
}

export function BackupsSection() {
  const { api } = useStores();
  const uid = useId();
  const [list, setList] = useState<BackupList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<BackupInfo | null>(null);
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const apply = useCallback((result: Result<BackupList>) => {
    if (result.ok) {
      setList(result.value);
      setError(null);
    } else setError(result.error.message);
  }, []);
  const load = useCallback(async () => apply(await api.invoke('backups.list', {})), [api, apply]);
  useEffect(() => {
    let live = true;
    void api.invoke('backups.list', {}).then((result) => {
      if (live) apply(result);
    });
    return () => {
      live = false;
    };
  }, [api, apply]);

  const restore = async () => {
    if (!asking) return;
    setPending(true);
    const result = await api.invoke('backups.restore', { name: asking.name });
    setPending(false);
    setAsking(null);
    if (!result.ok) {
      setError(`Could not restore ${asking.name}: ${result.error.message}`);
      return;
    }
    setMessage(result.value.message);
    await load();
  };

  const cancel = async () => {
    const result = await api.invoke('backups.cancelRestore', {});
    if (!result.ok) setError(`Could not cancel the restore: ${result.error.message}`);
    setMessage(null);
    await load();
  };

  const waiting = list?.pendingRestore ?? null;
  const waitingTaken = waiting ? list?.items.find((item) => item.name === waiting.name) : undefined;

  return (
    <section className="card settings-section data-section" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`} className="card-title">
        Backups
      </h2>
      <p className="muted small">
        Almanac copies its database into <span className="mono">backups/</span> at every start and once a day,
        and keeps the newest seven.
      </p>
      {waiting ? (
        <p className="note" role="status" data-testid="restore-pending">
          {message ??
            `The backup from ${waitingTaken ? formatTaken(waitingTaken.takenAt) : waiting.name} will replace the database when Almanac next starts.`}{' '}
          Quit Almanac and start it again to finish; the current database is kept aside.{' '}
          <button type="button" className="button small ghost" onClick={() => void cancel()}>
            Cancel the restore
          </button>
        </p>
      ) : null}
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
      {list === null && !error ? <p className="muted">Loading…</p> : null}
      {list && list.items.length === 0 ? <p className="muted small">No backups yet.</p> : null}
      {list && list.items.length ? (
        <ul className="data-list" aria-label="Backups">
          {list.items.map((item) => (
            <li key={item.name} data-testid="backup-item">
              <span className="data-list-main">
                <strong>{formatTaken(item.takenAt)}</strong>
                <span className="muted small">
                  <span className="mono">{item.name}</span> · {formatBytes(item.bytes)}
                  {waiting?.name === item.name ? ' · restores at next start' : ''}
                </span>
              </span>
              <button
                type="button"
                className="button small"
                aria-label={`Restore the backup from ${formatTaken(item.takenAt)}`}
                onClick={() => setAsking(item)}
              >
                Restore this backup
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <ConfirmDialog
        title="Restore this backup?"
        isOpen={asking !== null}
        confirmLabel="Restore at next start"
        danger
        pending={pending}
        onConfirm={() => void restore()}
        onCancel={() => setAsking(null)}
      >
        {asking ? (
          <p>
            When Almanac next starts, its database is replaced by the backup from{' '}
            <strong>{formatTaken(asking.takenAt)}</strong>. Schedules and runs changed after that are not in
            it. The current database is kept aside in the data folder, not deleted.
          </p>
        ) : null}
      </ConfirmDialog>
    </section>
  );
}
