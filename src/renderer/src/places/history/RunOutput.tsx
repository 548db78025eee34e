/**
 * A run's output: ANSI colours rendered by ansi_up, which escapes HTML first (an HTML payload in the
 * output shows as text, never as markup), following the end while it streams. Copy and Save take the
 * plain text; a cut output says so.
 */
import { AnsiUp } from 'ansi_up';
import { useEffect, useMemo, useRef, useState } from 'react';

/** Escape sequences (CSI, OSC) removed: what Copy and Save give. */
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
export function plainOutput(text: string): string {
  return text.replace(ESCAPES, '');
}

export function ansiToHtml(text: string): string {
  const converter = new AnsiUp();
  converter.escape_html = true;
  converter.use_classes = true;
  // OSC 8 hyperlinks stay text: a link in output must not navigate the app.
  converter.url_allowlist = {};
  return converter.ansi_to_html(text);
}

export interface RunOutputProps {
  runId: string;
  output: string;
  truncated: boolean;
  live: boolean;
  loading: boolean;
}

export function RunOutput({ runId, output, truncated, live, loading }: RunOutputProps) {
  const ref = useRef<HTMLPreElement>(null);
  const html = useMemo(() => ansiToHtml(output), [output]);
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);

  useEffect(() => {
    const pre = ref.current;
    if (pre) pre.scrollTop = pre.scrollHeight;
  }, [html]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(plainOutput(output));
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };
  const save = () => {
    const url = URL.createObjectURL(new Blob([plainOutput(output)], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `almanac-run-${runId}.log`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <div className="run-output">
      <div className="output-head">
        <h3>Output</h3>
        <span className="muted" aria-live="polite">
          {loading
            ? 'Loading…'
            : live
              ? 'Streaming…'
              : copied === 'copied'
                ? 'Copied'
                : copied === 'failed'
                  ? 'Could not copy'
                  : ''}
        </span>
        <span className="push-right output-actions">
          <button type="button" className="button small ghost" onClick={() => void copy()} disabled={!output}>
            Copy
          </button>
          <button type="button" className="button small ghost" onClick={save} disabled={!output}>
            Save…
          </button>
        </span>
      </div>
      {truncated ? (
        <p className="output-cut" data-testid="output-truncated">
          ✂ Earlier output was cut: only its last part is kept.
        </p>
      ) : null}
      <pre
        ref={ref}
        className="output"
        data-testid="run-output"
        tabIndex={0}
        aria-label="Run output"
        dangerouslySetInnerHTML={{ __html: html }}
      />
      {!loading && output === '' ? <p className="muted small">No output{live ? ' yet' : ''}.</p> : null}
    </div>
  );
}
