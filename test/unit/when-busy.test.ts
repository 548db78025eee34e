/**
 * whenBusy (issue 15 §5) as a table: what an occurrence inside, beside or after busy time does.
 */
import { describe, expect, it } from 'vitest';
import type { WhenBusy } from '../../src/shared/domain';
import type { BusyInterval, BusyTime } from '../../src/main/engine/ports';
import { annotateWhenBusy, busySpans, decideWhenBusy, spansAround } from '../../src/main/engine/when-busy';

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 2, 0, 0, 0);
const at = (hours: number) => T0 + hours * H;
const block = (from: number, to: number, summary: string, calendar = 'Work'): BusyInterval => ({
  start: at(from),
  end: at(to),
  summary,
  calendar,
});

// 09–10 Standup; 10–11 Review (back to back); 13–14 Lunch (Home, overlapping a 13:30–15 Call)
const blocks = [
  block(9, 10, 'Standup'),
  block(10, 11, 'Review'),
  block(13, 14, 'Lunch', 'Home'),
  block(13.5, 15, 'Call'),
  block(17, 18, ''),
];
const spans = busySpans(blocks);

describe('busy spans', () => {
  it('merge blocks that overlap or touch, so a deferred run never lands at the next meeting', () => {
    expect(spans.map((span) => [span.start, span.end, span.blocks.length])).toEqual([
      [at(9), at(11), 2],
      [at(13), at(15), 2],
      [at(17), at(18), 1],
    ]);
  });
});

describe('decideWhenBusy', () => {
  type Row = [string, WhenBusy | undefined, number, number | null, unknown];
  const table: Row[] = [
    ['run ignores busy time', 'run', 9.5, null, { action: 'run' }],
    ['no policy (a schedule stored before whenBusy) runs', undefined, 9.5, null, { action: 'run' }],
    ['free time runs under skip', 'skip', 8.99, null, { action: 'run' }],
    ['free time runs under defer', 'defer', 12, null, { action: 'run' }],
    ['a block’s start is busy', 'skip', 9, null, { action: 'skip', reason: 'busy: "Standup" (Work)' }],
    ['a block’s end is free', 'skip', 18, null, { action: 'run' }],
    [
      'skip names the block holding the occurrence',
      'skip',
      10.5,
      null,
      { action: 'skip', reason: 'busy: "Review" (Work)' },
    ],
    [
      'a block without a summary is named by its calendar',
      'skip',
      17.5,
      null,
      { action: 'skip', reason: 'busy: Work' },
    ],
    [
      'defer runs at the end of back-to-back blocks',
      'defer',
      9.25,
      8,
      { action: 'defer', until: at(11), reason: 'deferred to the end of busy time: "Standup" (Work)' },
    ],
    [
      'defer of overlapping blocks from two calendars runs at the later end',
      'defer',
      13.25,
      null,
      { action: 'defer', until: at(15), reason: 'deferred to the end of busy time: "Lunch" (Home)' },
    ],
    [
      'a second occurrence in the same busy time is skipped: one run after the meeting',
      'defer',
      10.5,
      9.25,
      {
        action: 'skip',
        reason: 'busy: "Review" (Work); an earlier occurrence in this busy time already runs at its end',
      },
    ],
    [
      'the previous occurrence before the span does not count',
      'defer',
      13.25,
      12.9,
      { action: 'defer', until: at(15), reason: 'deferred to the end of busy time: "Lunch" (Home)' },
    ],
  ];
  it.each(table)('%s', (_name, whenBusy, hour, previous, expected) => {
    const decision = decideWhenBusy(whenBusy, at(hour), previous === null ? null : at(previous), spans);
    expect(decision).toMatchObject(expected as object);
  });
});

describe('annotateWhenBusy (the preview)', () => {
  it('defers the first occurrence in each span and skips the rest, in order', () => {
    const hourly = [8, 9, 10, 11, 12, 13, 14, 15].map(at);
    const out = annotateWhenBusy(hourly, 'defer', null, spans);
    expect(out.map((o) => o.busy?.action ?? 'run')).toEqual([
      'run',
      'defer',
      'skip',
      'run',
      'run',
      'defer',
      'skip',
      'run',
    ]);
    expect(out[1]!.busy).toMatchObject({ until: at(11) });
  });
});

describe('spansAround', () => {
  it('widens the question while a span reaches its edge (a week of all-day events)', () => {
    const days = Array.from({ length: 7 }, (_, i) => block(24 * i, 24 * (i + 1), `Day ${i + 1}`, 'Leave'));
    const asked: [number, number][] = [];
    const busy: BusyTime = {
      blocks: (from, to) => {
        asked.push([from, to]);
        return days.filter((b) => b.end > from && b.start < to);
      },
    };
    const span = spansAround(busy, at(30)).find((s) => s.start <= at(30) && at(30) < s.end)!;
    expect([span.start, span.end]).toEqual([at(0), at(24 * 7)]);
    expect(asked.length).toBeGreaterThan(1);
  });
});
