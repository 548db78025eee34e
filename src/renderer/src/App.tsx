import { useEffect, useState } from 'react';
import type { AlmanacApi } from '../../shared/api';
import type { ReconnectSubscribe } from './client';
import { HistoryPlace } from './components/HistoryPlace';
import { Toasts, UnavailableBanner } from './components/Notices';
import { SchedulesPlace } from './components/SchedulesPlace';
import { Sidebar } from './components/Sidebar';
import { createStores, StoresContext, useApp } from './stores';

export interface AppProps {
  client: AlmanacApi;
  /** Event-stream reconnects (browser mode), after which what is shown is reloaded. */
  onReconnected?: ReconnectSubscribe;
}

export function App({ client, onReconnected }: AppProps) {
  const [stores] = useState(() => createStores(client, onReconnected));
  useEffect(() => stores.start(), [stores]);
  return (
    <StoresContext value={stores}>
      <Shell />
    </StoresContext>
  );
}

function Shell() {
  const place = useApp((state) => state.place);
  return (
    <div className="app">
      <Sidebar />
      <main className="main">
        <UnavailableBanner />
        {place === 'history' ? <HistoryPlace /> : <SchedulesPlace />}
      </main>
      <Toasts />
    </div>
  );
}
