import { render, screen, waitFor } from '@testing-library/react';
import { expect } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { FakeApi } from './fakeApi';

/** Renders the whole app against a fake backend and waits for the first loads to land. */
export async function renderApp(api: FakeApi = new FakeApi()) {
  const view = render(<App client={api} onReconnected={api.onReconnected} />);
  await waitFor(() => expect(api.callsTo('runs.list').length).toBeGreaterThan(0));
  await screen.findByText(/Engine:/);
  await waitFor(() => expect(screen.queryByText('Loading…')).toBeNull());
  return { api, view };
}
