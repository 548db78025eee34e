/**
 * "Download .ics": the planned occurrences of the range on screen, from `calendar.ics` (the same
 * planner as the grid), saved as a file. When the range holds more than one file carries, the
 * server's message says how many were left out, and it stays beside the button.
 */
import { useState } from 'react';
import { saveFile } from '../../lib/saveFile';
import { useStores } from '../../stores';
import type { CalendarRange } from '../../stores/calendar';

export function IcsDownload({ range }: { range: CalendarRange }) {
  const { api, app } = useStores();
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ kind: 'note' | 'error'; text: string } | null>(null);

  const download = async () => {
    setPending(true);
    setMessage(null);
    const result = await api.invoke('calendar.ics', { from: range.from, to: range.to });
    setPending(false);
    if (!result.ok) {
      setMessage({ kind: 'error', text: `Could not make the calendar file: ${result.error.message}` });
      return;
    }
    const first = range.days[0] ?? 'range';
    const last = range.days[range.days.length - 1] ?? first;
    saveFile(
      `almanac-${first}${last !== first ? `-to-${last}` : ''}.ics`,
      result.value.text,
      'text/calendar',
    );
    if (result.value.truncated)
      setMessage({ kind: 'note', text: result.value.message ?? 'Some runs were left out.' });
    app
      .getState()
      .notify(
        'success',
        `Saved ${result.value.events} planned ${result.value.events === 1 ? 'run' : 'runs'} as .ics.`,
      );
  };

  return (
    <span className="cal-ics">
      <button
        type="button"
        className="button small"
        onClick={() => void download()}
        disabled={pending}
        aria-busy={pending || undefined}
      >
        {pending ? 'Preparing…' : 'Download .ics'}
      </button>
      {message ? (
        <span
          className={message.kind === 'error' ? 'inline-error' : 'note'}
          role="status"
          data-testid="ics-message"
        >
          {message.text}
        </span>
      ) : null}
    </span>
  );
}
