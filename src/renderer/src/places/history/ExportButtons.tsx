/**
 * Export the runs of the current filter (`runs.export`): a download in browser mode, the save dialog
 * in the desktop app. Pending and outcome are shown beside the buttons.
 */
import { useState } from 'react';
import { useStores } from '../../stores';
import { useHistoryStore } from './historyContext';

export function ExportButtons() {
  const { api, download } = useStores();
  const store = useHistoryStore();
  const [state, setState] = useState<{ busy: boolean; message: string | null; error: boolean }>({
    busy: false,
    message: null,
    error: false,
  });

  const run = async (format: 'csv' | 'json') => {
    setState({ busy: true, message: 'Exporting…', error: false });
    const input = { ...store.getState().shownInput(), format };
    if (download) {
      const result = await download('runs.export', input);
      if (!result.ok) return setState({ busy: false, message: result.error.message, error: true });
      const url = URL.createObjectURL(result.value.blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = result.value.filename;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return setState({
        busy: false,
        message: `${result.value.rows.toLocaleString()} runs in ${result.value.filename}`,
        error: false,
      });
    }
    const result = await api.invoke('runs.export', input);
    if (!result.ok) return setState({ busy: false, message: result.error.message, error: true });
    setState({
      busy: false,
      message: result.value.path
        ? `${result.value.rows.toLocaleString()} runs saved to ${result.value.path}`
        : 'Not saved',
      error: false,
    });
  };

  return (
    <div className="export-buttons" role="group" aria-label="Export">
      <button type="button" className="button small" disabled={state.busy} onClick={() => void run('csv')}>
        Export CSV
      </button>
      <button
        type="button"
        className="button small ghost"
        disabled={state.busy}
        onClick={() => void run('json')}
      >
        Export JSON
      </button>
      {state.message ? (
        <span
          className={state.error ? 'field-error' : 'muted'}
          role={state.error ? 'alert' : 'status'}
          data-testid="export-status"
        >
          {state.message}
        </span>
      ) : null}
    </div>
  );
}
