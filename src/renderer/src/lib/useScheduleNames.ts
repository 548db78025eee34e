import { useMemo } from 'react';
import { useSchedules } from '../stores';

/**
 * Schedule names by id, for run rows. A run outlives its schedule: a deleted schedule's runs keep
 * the name this window saw, or failing that a short id.
 */
export function useScheduleNames(): (scheduleId: string) => string {
  const items = useSchedules((state) => state.items);
  const names = useSchedules((state) => state.names);
  return useMemo(() => {
    const live = new Set(items.map((schedule) => schedule.id));
    return (scheduleId: string) => {
      if (live.has(scheduleId)) return names[scheduleId] ?? scheduleId;
      const seen = names[scheduleId];
      return seen ? `${seen} (deleted)` : `deleted schedule ${scheduleId.slice(-6)}`;
    };
  }, [items, names]);
}
