/**
 * The tray (DESIGN.md §7): icon by state, the next runs, Open / Pause all / Quit, redrawn at most
 * once a second after schedule, run or engine events. The decisions are in tray-model.ts.
 */
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import type { App } from '../app';
import { toSchedule } from '../store';
import { trayMenu, trayState, trayTooltip, type TrayItem, type TrayState } from '../desktop-rules/tray-model';

const REDRAW_MS = 1000;

/** Pauses or resumes every schedule through the handler table, so events and versions stay right. */
async function setAllEnabled(app: App, enabled: boolean): Promise<void> {
  for (const record of app.engine.listSchedules()) {
    if (record.enabled !== enabled) await app.dispatch('schedules.setEnabled', { id: record.id, enabled });
  }
}

/** Returns the teardown. */
export function startTray(resourcesDir: string, app: App, actions: { open(): void; quit(): void }) {
  const icon = (state: TrayState) => nativeImage.createFromPath(path.join(resourcesDir, `tray-${state}.png`));
  const tray = new Tray(icon('idle'));
  tray.on('click', actions.open);
  const time = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
  const clicks = {
    open: actions.open,
    'pause-all': () => void setAllEnabled(app, false),
    'resume-all': () => void setAllEnabled(app, true),
    quit: actions.quit,
  };
  const toMenu = (item: TrayItem): MenuItemConstructorOptions =>
    item.kind === 'separator'
      ? { type: 'separator' }
      : item.kind === 'label'
        ? { label: item.label, enabled: false }
        : { label: item.label, click: clicks[item.action] };
  let pending: NodeJS.Timeout | null = null;
  const redraw = () => {
    pending = null;
    const engine = app.engine.status();
    const schedules = app.engine.listSchedules().map(toSchedule);
    const state = trayState(engine, schedules);
    tray.setImage(icon(state));
    tray.setToolTip(trayTooltip(state, engine));
    const items = trayMenu(schedules, (iso) => time.format(new Date(iso)));
    tray.setContextMenu(Menu.buildFromTemplate(items.map(toMenu)));
  };
  redraw();
  const unsubscribe = app.subscribe((event) => {
    if (event !== 'run.output' && !pending) pending = setTimeout(redraw, REDRAW_MS);
  });
  return () => {
    unsubscribe();
    if (pending) clearTimeout(pending);
    tray.destroy();
  };
}
