import { lazy, Suspense, useEffect, useState } from 'react';
import type { AlmanacApi } from '../../shared/api';
import type { ReconnectSubscribe } from './client';
import { EditorHost } from './shell/EditorHost';
import { Toasts, UnavailableBanner } from './shell/Notices';
import { SchedulesPlace } from './places/schedules/SchedulesPlace';
import { Sidebar } from './shell/Sidebar';
import { SkipLink } from './shell/SkipLink';
import { StartupNotices } from './shell/StartupNotices';
import { CatchUpNotice } from './shell/CatchUpNotice';
import type { Place } from './stores/app';
import { createStores, StoresContext, useApp } from './stores';

// Places other than the first one load when first shown: the main chunk stays small.
const CalendarPlace = lazy(() =>
  import('./places/calendar/CalendarPlace').then((m) => ({ default: m.CalendarPlace })),
);
const HistoryPlace = lazy(() =>
  import('./places/history/HistoryPlace').then((m) => ({ default: m.HistoryPlace })),
);
const SettingsPlace = lazy(() =>
  import('./places/settings/SettingsPlace').then((m) => ({ default: m.SettingsPlace })),
);
const SchedulePage = lazy(() =>
  import('./places/schedule/SchedulePage').then((m) => ({ default: m.SchedulePage })),
);

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
  const scheduleId = useApp((state) => state.scheduleId);
  return (
    <div className="app">
      <SkipLink target="main" />
      <Sidebar />
      <main className="main" id="main">
        <StartupNotices />
        <UnavailableBanner />
        <CatchUpNotice />
        <Suspense fallback={<p className="muted place-loading">Loading…</p>}>
          <PlaceView place={place} scheduleId={scheduleId} />
        </Suspense>
      </main>
      <EditorHost />
      <Toasts />
    </div>
  );
}

function PlaceView({ place, scheduleId }: { place: Place; scheduleId: string | null }) {
  if (place === 'schedules' && scheduleId) return <SchedulePage key={scheduleId} id={scheduleId} />;
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
