/** Native notifications (DESIGN.md §7): one per notification event; a click opens its run. */
import { Notification } from 'electron';

/** Shown notifications stay referenced until closed: a collected one no longer reports its click. */
const shown = new Set<Notification>();

export function showNotification(title: string, body: string, silent: boolean, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title, body, silent });
  shown.add(notification);
  notification.on('close', () => shown.delete(notification));
  notification.on('click', () => {
    shown.delete(notification);
    onClick();
  });
  notification.show();
}
