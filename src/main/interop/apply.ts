/**
 * Many schedule writes as one: imports (crontab, document) create and replace schedules in one
 * SQLite transaction, so a crash leaves all or none. The engine also keeps schedules in memory, so
 * a write that fails part-way is undone there too: created schedules are dropped, replaced ones get
 * their previous fields back. Callers validate everything first; this is the last line.
 */
import type { ScheduleDraft } from '../../shared/domain';
import type { Engine } from '../engine/engine';
import type { ScheduleRecord, Store } from '../store';

type Fields = Pick<ScheduleRecord, 'name' | 'notes' | 'group' | 'enabled' | 'trigger' | 'action' | 'policy'>;

export interface Writer {
  create(fields: ScheduleDraft): ScheduleRecord;
  /** Overwrites every definition field of a schedule (its history and identity stay). */
  replace(id: string, fields: ScheduleDraft): ScheduleRecord;
}

const fieldsOf = (draft: ScheduleDraft): Fields => ({ ...draft, group: draft.group ?? null });

export function applyWrites<T>(engine: Engine, store: Store, work: (writer: Writer) => T): T {
  const undo: (() => void)[] = [];
  const writer: Writer = {
    create(fields) {
      const record = engine.createSchedule(fieldsOf(fields));
      undo.push(() => engine.deleteSchedule(record.id));
      return record;
    },
    replace(id, fields) {
      const before = engine.getSchedule(id);
      const record = engine.updateSchedule(id, before.version, fieldsOf(fields));
      const { name, notes, group, enabled, trigger, action, policy } = before;
      undo.push(() =>
        engine.updateSchedule(id, engine.getSchedule(id).version, {
          name,
          notes,
          group,
          enabled,
          trigger,
          action,
          policy,
        }),
      );
      return record;
    },
  };
  try {
    return store.transaction(() => work(writer));
  } catch (error) {
    // SQLite rolled back; put the engine's memory back the same way, newest first.
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        // Undoing is best effort; the database itself is already as it was.
      }
    }
    throw error;
  }
}
