/**
 * How `notification` events show in the page. In browser mode they are toasts (and, when the page
 * is hidden and the person has allowed it, the browser's own notifications); the desktop app shows
 * native notifications from main instead, so its window stays quiet.
 */
import type { AppStatus, NotificationEvent } from '../../../shared/api';
import type { Notice } from './app';

export function noticeFor(
  notification: NotificationEvent,
  mode: AppStatus['mode'] | undefined,
): Pick<Notice, 'kind' | 'text'> | null {
  if (mode === 'desktop') return null;
  const kind = notification.level === 'failure' ? 'error' : notification.level;
  const firstLine = notification.body.split('\n')[0]?.trim();
  return { kind, text: firstLine ? `${notification.title}: ${firstLine}` : notification.title };
}

/** Optional: only with permission already granted (asking needs a gesture), and only while the page is not seen. */
export function showBrowserNotification(notification: NotificationEvent): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  if (typeof document !== 'undefined' && document.visibilityState === 'visible') return;
  new Notification(notification.title, { body: notification.body, tag: notification.scheduleId });
}
