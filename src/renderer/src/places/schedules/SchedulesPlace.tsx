/** Schedules: the list and recent runs on the left, the editor on the right, a run's detail in a drawer. */
import { ImportCrontab } from './ImportCrontab';
import { RecentRuns } from './RecentRuns';
import { RunDetail } from '../history/RunDetail';
import { ScheduleForm } from '../editor/ScheduleForm';
import { ScheduleTable } from './ScheduleTable';

export function SchedulesPlace() {
  return (
    <div className="place place-schedules">
      <header className="place-head">
        <h1>Schedules</h1>
        <ImportCrontab />
      </header>
      <div className="split">
        <div className="stack">
          <ScheduleTable />
          <RecentRuns />
        </div>
        <div className="stack">
          <ScheduleForm />
        </div>
      </div>
      <RunDetail />
    </div>
  );
}
