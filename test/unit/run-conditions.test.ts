/**
 * Run conditions (issue 16 §2) as a table: start, wait (and until when), or skip past the grace.
 */
import { describe, expect, it } from 'vitest';
import type { RunConditions } from '../../src/shared/domain';
import { decideConditions, type ConditionReadings } from '../../src/main/engine/conditions';

const NOW = 1_000_000;
const DEADLINE = NOW + 60_000;

describe('decideConditions', () => {
  /** [rule, conditions, readings, now, verdict, deadline (the due instant plus the grace)] */
  type Row = [string, RunConditions | undefined, ConditionReadings, number, unknown, number?];
  const onBattery: ConditionReadings = { onACPower: false, idleSeconds: 1000 };
  const onAC: ConditionReadings = { onACPower: true, idleSeconds: 1000 };
  const inUse: ConditionReadings = { onACPower: true, idleSeconds: 20 };
  const unknown: ConditionReadings = { onACPower: 'unknown', idleSeconds: 'unknown' };
  const table: Row[] = [
    ['no conditions start at once, even on battery', undefined, onBattery, NOW, { action: 'start' }],
    ['onACPower false asks nothing', { onACPower: false }, onBattery, NOW, { action: 'start' }],
    ['on AC power holds', { onACPower: true }, onAC, NOW, { action: 'start' }],
    [
      'on battery waits until the deadline (a power change is announced)',
      { onACPower: true },
      onBattery,
      NOW,
      { action: 'wait', recheckAt: DEADLINE, failing: 'on battery power (it runs only on AC power)' },
    ],
    [
      'on battery at the deadline is skipped, naming the condition',
      { onACPower: true },
      onBattery,
      DEADLINE,
      {
        action: 'skip',
        reason: 'condition not met within the grace: on battery power (it runs only on AC power)',
      },
    ],
    ['idle long enough holds', { idleForSeconds: 300 }, onAC, NOW, { action: 'start' }],
    ['idle exactly long enough holds', { idleForSeconds: 20 }, inUse, NOW, { action: 'start' }],
    [
      'in use waits until idle time would be enough',
      { idleForSeconds: 50 },
      inUse,
      NOW,
      { action: 'wait', recheckAt: NOW + 30_000 },
    ],
    [
      'in use waits no longer than the deadline',
      { idleForSeconds: 300 },
      inUse,
      NOW,
      { action: 'wait', recheckAt: DEADLINE },
    ],
    [
      'in use past the deadline is skipped with the idle time it had',
      { idleForSeconds: 300 },
      inUse,
      DEADLINE + 1,
      {
        action: 'skip',
        reason:
          'condition not met within the grace: the computer was in use (idle 20 s of the 300 s it needs)',
      },
    ],
    [
      'both failing name both',
      { onACPower: true, idleForSeconds: 300 },
      { onACPower: false, idleSeconds: 5 },
      DEADLINE,
      {
        action: 'skip',
        reason:
          'condition not met within the grace: on battery power (it runs only on AC power); the computer was in use (idle 5 s of the 300 s it needs)',
      },
    ],
    [
      'unknown readings (browser mode) run',
      { onACPower: true, idleForSeconds: 300 },
      unknown,
      NOW,
      { action: 'start' },
    ],
    ['a grace of 0 skips at once', { onACPower: true }, onBattery, NOW, { action: 'skip' }, NOW],
  ];
  it.each(table)('%s', (_rule, conditions, readings, now, expected, deadline = DEADLINE) => {
    expect(decideConditions(conditions, readings, now, deadline)).toMatchObject(expected as object);
  });
});
