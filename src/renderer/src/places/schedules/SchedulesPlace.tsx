/** Schedules: the list and recent runs, a run's detail in a drawer; "New schedule" opens the editor. */
import { RecentRuns } from './RecentRuns';
import { RunDetail } from '../history/RunDetail';
import { ScheduleTable } from './ScheduleTable';
import { NewScheduleButton } from '../editor/NewScheduleButton';

export function SchedulesPlace() {
  return (
    <div className="place place-schedules">
      <header className="place-head">
        <h1>Schedules</h1>
        <NewScheduleButton />
      </header>
      <div className="stack">
        <ScheduleTable />
        <RecentRuns />
      </div>
      <RunDetail />
    </div>
  );
}
