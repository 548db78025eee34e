import { useEffect, useState } from 'react';
import type { AlmanacApi } from '../../shared/api';
import type { ReconnectSubscribe } from './client';
import { CalendarPlace } from './places/calendar/CalendarPlace';
import { HistoryPlace } from './places/history/HistoryPlace';
import { EditorHost } from './shell/EditorHost';
import { Toasts, UnavailableBanner } from './shell/Notices';
import { SchedulesPlace } from './places/schedules/SchedulesPlace';
import { SettingsPlace } from './places/settings/SettingsPlace';
import { Sidebar } from './shell/Sidebar';
import { SkipLink } from './shell/SkipLink';
import { StartupNotices } from './shell/StartupNotices';
import type { Place } from './stores/app';
import { createStores, StoresContext, useApp } from './stores';

export interface AppProps {
  client: AlmanacApi;
  /** Event-stream reconnects (browser mode), after which what is shown is reloaded. */
  onReconnected?: ReconnectSubscribe;
}

export function App({ client, onReconnected }: AppProps) {
  const [stores] = useState(() => {
    const created = createStores(client, onReconnected);
    // the first lists are asked for now, while the first render runs, not after it commits
    created.preload();
    return created;
  });
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
      <SkipLink target="main" />
      <Sidebar />
      <main className="main" id="main">
        <StartupNotices />
        <UnavailableBanner />
        <PlaceView place={place} />
      </main>
      <EditorHost />
      <Toasts />
    </div>
  );
}

function PlaceView({ place }: { place: Place }) {
  switch (place) {
    case 'calendar':
      return <CalendarPlace />;
    case 'history':
      return <HistoryPlace />;
    case 'settings':
      return <SettingsPlace />;
    default:
      return <SchedulesPlace />;
  }
}
