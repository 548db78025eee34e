/**
 * The tray (DESIGN.md §7): icon by state, the next runs, Open / Pause all / Quit. The decisions are
 * in tray-model.ts; this file only turns them into Electron objects, and stays thin.
 */
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import type { EngineStatus, Schedule } from '../../shared/api';
import { trayMenu, trayState, trayTooltip, type TrayItem } from './tray-model';

export interface TrayActions {
  open(): void;
  pauseAll(): void;
  resumeAll(): void;
  quit(): void;
}

export function createTray(resourcesDir: string, actions: TrayActions) {
  const icons = Object.fromEntries(
    (['idle', 'running', 'failed'] as const).map((state) => [
      state,
      nativeImage.createFromPath(path.join(resourcesDir, `tray-${state}.png`)),
    ]),
  ) as Record<'idle' | 'running' | 'failed', Electron.NativeImage>;
  const tray = new Tray(icons.idle);
  tray.on('click', () => actions.open());
  const time = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });

  const toMenu = (item: TrayItem): MenuItemConstructorOptions => {
    if (item.kind === 'separator') return { type: 'separator' };
    if (item.kind === 'label') return { label: item.label, enabled: false };
    const click = {
      open: actions.open,
      'pause-all': actions.pauseAll,
      'resume-all': actions.resumeAll,
      quit: actions.quit,
    }[item.action];
    return { label: item.label, click };
  };

  return {
    update(engine: EngineStatus, schedules: Schedule[]): void {
      const state = trayState(engine, schedules);
      tray.setImage(icons[state]);
      tray.setToolTip(trayTooltip(state, engine));
      tray.setContextMenu(
        Menu.buildFromTemplate(trayMenu(schedules, (iso) => time.format(new Date(iso))).map(toMenu)),
      );
    },
    destroy: () => tray.destroy(),
  };
}
