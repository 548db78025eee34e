/**
 * "Suggest a free slot" (issue 15 §5), the pure rule: inside working hours on working days, clear
 * of busy blocks, not in the past, on the quietest planned load, earliest first, never overlapping.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { slotBoundaries } from '../../src/main/engine/calendar';
import { findFreeSlots, type FreeSlotQuery } from '../../src/main/engine/free-slots';

const at = (local: string, zone = 'UTC') => DateTime.fromISO(local, { zone }).toMillis();
const show = (slots: { start: number; end: number; load: number }[], zone = 'UTC') =>
  slots.map(
    (slot) =>
      `${DateTime.fromMillis(slot.start, { zone }).toFormat('ccc HH:mm')}–${DateTime.fromMillis(slot.end, { zone }).toFormat('HH:mm')} (${slot.load})`,
  );

/** 15-minute load spans over the range, with planned counts at the given local times. */
function loadOf(from: number, to: number, zone: string, planned: Record<string, number> = {}) {
  const bounds = slotBoundaries(from, to, 15, zone);
  const counts = new Map(Object.entries(planned).map(([local, n]) => [at(local, zone), n]));
  return bounds
    .slice(0, -1)
    .map((start, i) => ({ start, end: bounds[i + 1]!, plannedCount: counts.get(start) ?? 0 }));
}

function query(overrides: Partial<FreeSlotQuery> & { planned?: Record<string, number> }): FreeSlotQuery {
  const zone = overrides.zone ?? 'UTC';
  const from = overrides.from ?? at('2026-03-23T00:00', zone); // a Monday
  const to = overrides.to ?? at('2026-03-25T00:00', zone);
  return {
    from,
    to,
    now: overrides.now ?? from,
    zone,
    durationMinutes: 30,
    stepMinutes: 15,
    count: 3,
    workingHours: { start: '09:00', end: '11:00', days: [1, 2, 3, 4, 5] },
    busy: [],
    load: loadOf(from, to, zone, overrides.planned),
    ...overrides,
  };
}

describe('findFreeSlots', () => {
  const cases: { name: string; q: FreeSlotQuery; expected: string[] }[] = [
    {
      name: 'an empty calendar offers the start of the working day, slots not overlapping',
      q: query({}),
      expected: ['Mon 09:00–09:30 (0)', 'Mon 09:30–10:00 (0)', 'Mon 10:00–10:30 (0)'],
    },
    {
      name: 'a busy block is stepped around, even one that covers part of a candidate',
      q: query({ busy: [{ start: at('2026-03-23T09:10'), end: at('2026-03-23T10:05') }] }),
      expected: ['Mon 10:15–10:45 (0)', 'Tue 09:00–09:30 (0)', 'Tue 09:30–10:00 (0)'],
    },
    {
      name: 'the heaviest load is avoided: only the quietest candidates are offered',
      q: query({
        planned: { '2026-03-23T09:00': 4, '2026-03-23T09:45': 1, '2026-03-23T10:30': 2 },
        count: 2,
      }),
      // a slot touching 09:00, 09:45 or 10:30 carries load; 09:15–09:45 and 10:00–10:30 are quiet
      expected: ['Mon 09:15–09:45 (0)', 'Mon 10:00–10:30 (0)'],
    },
    {
      name: 'when nothing is quiet, the least loaded candidates are offered',
      q: query({
        to: at('2026-03-24T00:00'),
        workingHours: { start: '09:00', end: '10:00', days: [1] },
        planned: {
          '2026-03-23T09:00': 3,
          '2026-03-23T09:15': 1,
          '2026-03-23T09:30': 1,
          '2026-03-23T09:45': 3,
        },
      }),
      expected: ['Mon 09:15–09:45 (2)'],
    },
    {
      name: 'the past is not offered: candidates start at or after now',
      q: query({ now: at('2026-03-23T10:20') }),
      expected: ['Mon 10:30–11:00 (0)', 'Tue 09:00–09:30 (0)', 'Tue 09:30–10:00 (0)'],
    },
    {
      name: 'only working days: a weekend range has none',
      q: query({ from: at('2026-03-28T00:00'), to: at('2026-03-30T00:00') }),
      expected: [],
    },
    {
      name: 'a slot longer than the working day fits nowhere',
      q: query({ durationMinutes: 180 }),
      expected: [],
    },
    {
      name: 'working hours are local: on the spring-forward Monday in Berlin 09:00 is still 09:00',
      q: query({
        zone: 'Europe/Berlin',
        from: at('2026-03-30T00:00', 'Europe/Berlin'),
        to: at('2026-03-31T00:00', 'Europe/Berlin'),
        count: 1,
      }),
      expected: ['Mon 09:00–09:30 (0)'],
    },
  ];
  for (const { name, q, expected } of cases) {
    it(name, () => {
      expect(show(findFreeSlots(q), q.zone)).toEqual(expected);
    });
  }

  it('on the spring-forward day the suggestion is 07:00 UTC (CEST), not 08:00', () => {
    const q = query({
      zone: 'Europe/Berlin',
      from: at('2026-03-30T00:00', 'Europe/Berlin'),
      to: at('2026-03-31T00:00', 'Europe/Berlin'),
      count: 1,
    });
    expect(new Date(findFreeSlots(q)[0]!.start).toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });
});
