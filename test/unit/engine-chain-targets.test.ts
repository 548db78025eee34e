/** chains.ts as a table: the targets an ended occurrence starts, why one may not, and loops. */
import { describe, expect, it } from 'vitest';
import {
  CHAIN_DEPTH_CAP,
  chainLoop,
  chainRefusal,
  chainTargets,
  type Links,
} from '../../src/main/engine/chains';

const then: Links = { onSuccess: ['a', 'b', 'a'], onFailure: ['c'] };

describe('chain targets', () => {
  it.each([
    ['succeeded', ['a', 'b']],
    ['failed', ['c']],
    ['timed-out', ['c']],
    ['interrupted', ['c']],
    ['cancelled', []],
  ] as const)('an occurrence that %s starts %j', (status, expected) => {
    expect(chainTargets(then, status)).toEqual(expected);
  });

  it('a policy stored before chains existed starts nothing', () => {
    expect(chainTargets(undefined, 'succeeded')).toEqual([]);
  });

  const ok = { depth: 1, enabled: true, overlap: 'skip' as const, admitted: true };
  it.each([
    ['queues', ok, null],
    [
      'too deep',
      { ...ok, depth: CHAIN_DEPTH_CAP + 1, enabled: false },
      `chain: more than ${CHAIN_DEPTH_CAP} links deep (chained from "Build")`,
    ],
    ['at the cap still queues', { ...ok, depth: CHAIN_DEPTH_CAP }, null],
    ['paused', { ...ok, enabled: false, admitted: false }, 'paused (chained from "Build")'],
    [
      'its overlap policy says no',
      { ...ok, admitted: false },
      'overlap: the previous run was still going (policy skip; chained from "Build")',
    ],
  ])('a target that %s', (_, target, expected) => {
    expect(chainRefusal(target, 'Build')).toBe(expected);
  });

  const links: Record<string, Links> = {
    b: { onSuccess: ['c'], onFailure: [] },
    c: { onSuccess: [], onFailure: ['a'] },
    d: { onSuccess: [], onFailure: [] },
  };
  it.each([
    ['a → b → c → a', { onSuccess: ['b'], onFailure: [] }, ['a', 'b', 'c', 'a']],
    ['a → a', { onSuccess: [], onFailure: ['a'] }, ['a', 'a']],
    ['no loop through d', { onSuccess: ['d'], onFailure: [] }, null],
  ])('%s', (_, own, expected) => {
    expect(chainLoop('a', own, (id) => links[id])).toEqual(expected);
  });
});
