/** Notification events in the page: toasts in browser mode; none in the desktop app, where main shows native ones. */
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { NotificationEvent } from '../../src/shared/api';
import { noticeFor } from '../../src/renderer/src/stores/notifications';
import { FakeApi, STATUS } from './fakeApi';
import { renderApp } from './render';

const failure: NotificationEvent = {
  scheduleId: 'sch-1',
  runId: 'run-1',
  title: 'Backup failed 3 times',
  body: '3 failures since the last notice; the latest: Exited with code 1\nsome output',
  level: 'failure',
  count: 3,
};

describe('notification events', () => {
  it('show as a toast in browser mode, first line of the body beside the title', async () => {
    const api = new FakeApi();
    await renderApp(api);
    act(() => api.emit('notification', failure));
    const toast = await screen.findByText(
      'Backup failed 3 times: 3 failures since the last notice; the latest: Exited with code 1',
    );
    expect(toast.closest('.toast')!.className).toContain('toast-error');
    act(() => api.emit('notification', { ...failure, title: 'Stand up', body: '', level: 'info', count: 1 }));
    expect((await screen.findByText('Stand up')).closest('.toast')!.className).toContain('toast-info');
  });

  it('show no toast in the desktop app, which shows native notifications instead', async () => {
    const api = new FakeApi();
    api.handlers['app.status'] = () => ({ ok: true, value: { ...STATUS, mode: 'desktop' } });
    await renderApp(api);
    await waitFor(() => expect(api.callsTo('app.status').length).toBeGreaterThan(0));
    act(() => api.emit('notification', failure));
    expect(screen.queryByText(/Backup failed 3 times/)).toBeNull();
  });

  it('levels map to toast kinds', () => {
    expect(noticeFor({ ...failure, level: 'success' }, 'browser')!.kind).toBe('success');
    expect(noticeFor(failure, undefined)!.kind).toBe('error');
    expect(noticeFor(failure, 'desktop')).toBeNull();
  });
});
