/** overlap.ts as a table: the five policies × what a schedule has going and waiting. */
import { describe, expect, it } from 'vitest';
import { admit, BUFFER_ALL_LIMIT, mayStart, type OverlapPolicy } from '../../src/main/engine/overlap';

const yes = { admit: true, supersede: false };
const no = { admit: false, supersede: false };
const supersede = { admit: true, supersede: true };

const table: [OverlapPolicy, number, number, { admit: boolean; supersede: boolean }][] = [
  // policy, going, waiting → admission
  ['skip', 0, 0, yes],
  ['skip', 1, 0, no],
  ['skip', 0, 1, no],
  ['allowAll', 3, 7, yes],
  ['bufferOne', 1, 0, yes],
  ['bufferOne', 1, 1, no],
  ['bufferOne', 0, 1, no],
  ['bufferAll', 1, BUFFER_ALL_LIMIT - 1, yes],
  ['bufferAll', 1, BUFFER_ALL_LIMIT, no],
  ['cancelOther', 0, 0, yes],
  ['cancelOther', 1, 2, supersede],
];

describe('overlap admission', () => {
  it.each(table)('%s with %i going and %i waiting', (policy, going, waiting, expected) => {
    expect(admit(policy, { going, waiting })).toEqual(expected);
  });

  it.each([
    ['skip', 0, true],
    ['skip', 1, false],
    ['bufferOne', 1, false],
    ['bufferAll', 1, false],
    ['cancelOther', 1, false],
    ['allowAll', 5, true],
  ] as const)('a queued run of a %s schedule with %i going may start: %s', (policy, going, expected) => {
    expect(mayStart(policy, going)).toBe(expected);
  });
});
