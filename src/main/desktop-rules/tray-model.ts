/**
 * What the tray shows (DESIGN.md §7), as plain data: the icon state and the menu. index.ts turns it
 * into Electron's Tray and Menu; keeping the decisions here lets tests check them under Node.
 */
import type { EngineStatus, Schedule } from '../../shared/api';

export type TrayState = 'idle' | 'running' | 'failed';

export type TrayItem =
  | { kind: 'label'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; label: string; action: 'open' | 'pause-all' | 'resume-all' | 'quit' };

const NEXT_RUNS = 5;

/** Running beats failed beats idle: a failure stays visible until the schedule next succeeds. */
export function trayState(engine: EngineStatus, schedules: readonly Schedule[]): TrayState {
  if (engine.active > 0) return 'running';
  if (schedules.some((schedule) => schedule.enabled && isFailure(schedule.lastStatus))) return 'failed';
  return 'idle';
}

function isFailure(status: Schedule['lastStatus']): boolean {
  return status === 'failed' || status === 'timed-out' || status === 'interrupted';
}

export function trayTooltip(state: TrayState, engine: EngineStatus): string {
  if (state === 'running') return `Almanac: running ${engine.active}`;
  if (state === 'failed') return 'Almanac: a schedule failed';
  return 'Almanac: idle';
}

/** The menu: the next runs, then Open, Pause all (or Resume all when everything is paused), Quit. */
export function trayMenu(schedules: readonly Schedule[], formatTime: (iso: string) => string): TrayItem[] {
  const upcoming = schedules
    .filter((schedule) => schedule.enabled && schedule.nextFireAt)
    .sort((a, b) => Date.parse(a.nextFireAt!) - Date.parse(b.nextFireAt!))
    .slice(0, NEXT_RUNS);
  const items: TrayItem[] = upcoming.length
    ? upcoming.map((schedule) => ({
        kind: 'label',
        label: `${formatTime(schedule.nextFireAt!)}  ${schedule.name}`,
      }))
    : [{ kind: 'label', label: 'Nothing scheduled' }];
  const anyEnabled = schedules.some((schedule) => schedule.enabled);
  items.push(
    { kind: 'separator' },
    { kind: 'action', label: 'Open Almanac', action: 'open' },
    anyEnabled || !schedules.length
      ? { kind: 'action', label: 'Pause all', action: 'pause-all' }
      : { kind: 'action', label: 'Resume all', action: 'resume-all' },
    { kind: 'separator' },
    { kind: 'action', label: 'Quit', action: 'quit' },
  );
  return items;
}

/** Closing the window hides it to the tray when the setting says so, unless the app is quitting. */
export function hideOnClose(settings: { closeToTray: boolean }, quitting: boolean): boolean {
  return settings.closeToTray && !quitting;
}
