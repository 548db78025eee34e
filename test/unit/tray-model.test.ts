import { describe, expect, it } from 'vitest';
import type { EngineStatus, Schedule } from '../../src/shared/api';
import { hideOnClose, trayMenu, trayState, trayTooltip } from '../../src/main/desktop-rules/tray-model';

const engine = (active = 0): EngineStatus => ({
  running: true,
  scheduleCount: 3,
  queued: 0,
  active,
  nextFireAt: null,
});

function schedule(name: string, fields: Partial<Schedule> = {}): Schedule {
  return { name, enabled: true, nextFireAt: null, lastStatus: null, ...fields } as Schedule;
}

describe('tray state', () => {
  it('is running while a run goes, failed while an enabled schedule’s last run failed, idle otherwise', () => {
    const failed = schedule('a', { lastStatus: 'timed-out' });
    expect(trayState(engine(1), [failed])).toBe('running');
    expect(trayState(engine(0), [failed])).toBe('failed');
    expect(trayState(engine(0), [{ ...failed, enabled: false }])).toBe('idle');
    expect(trayState(engine(0), [schedule('b', { lastStatus: 'succeeded' })])).toBe('idle');
    expect(trayTooltip('failed', engine(0))).toMatch(/failed/);
    expect(trayTooltip('running', engine(2))).toMatch(/2/);
  });
});

describe('tray menu', () => {
  const format = (iso: string) => iso.slice(11, 16);

  it('lists the next five runs soonest first, then Open, Pause all and Quit', () => {
    const items = trayMenu(
      [
        schedule('late', { nextFireAt: '2026-11-22T18:00:00.000Z' }),
        schedule('off', { enabled: false, nextFireAt: '2026-11-22T01:00:00.000Z' }),
        ...['07', '08', '09', '10', '11'].map((h) =>
          schedule(`at ${h}`, { nextFireAt: `2026-11-22T${h}:00:00.000Z` }),
        ),
      ],
      format,
    );
    const labels = items.map((item) => (item.kind === 'separator' ? '—' : item.label));
    expect(labels).toEqual([
      '07:00  at 07',
      '08:00  at 08',
      '09:00  at 09',
      '10:00  at 10',
      '11:00  at 11',
      '—',
      'Open Almanac',
      'Pause all',
      '—',
      'Quit',
    ]);
  });

  it('offers Resume all when every schedule is paused, and says when nothing is scheduled', () => {
    const items = trayMenu([schedule('x', { enabled: false })], format);
    expect(items[0]).toEqual({ kind: 'label', label: 'Nothing scheduled' });
    expect(items).toContainEqual({ kind: 'action', label: 'Resume all', action: 'resume-all' });
  });
});

describe('close to tray', () => {
  it('hides instead of closing only when the setting is on and the app is not quitting', () => {
    expect(hideOnClose({ closeToTray: true }, false)).toBe(true);
    expect(hideOnClose({ closeToTray: true }, true)).toBe(false);
    expect(hideOnClose({ closeToTray: false }, false)).toBe(false);
  });
});
