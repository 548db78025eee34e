/**
 * `schedules.export` and `schedules.import` (issue 15 §3): every schedule's definition as one
 * versioned JSON document, chains by name, no run history; and back, re-linking chains by name,
 * refusing loops, in one transaction.
 */
import type { DocumentImport, DocumentImportItem, MethodParsedInput } from '../../shared/api';
import type { ScheduleDraft } from '../../shared/domain';
import { AlmanacError } from '../../shared/errors';
import {
  DocumentSchedule,
  EXPORT_FORMAT,
  type DocumentSchedule as DocumentScheduleValue,
  type ExportDocument,
} from '../../shared/export-document';
import type { Engine } from '../engine/engine';
import { nextOccurrence } from '../engine/planner';
import type { ScheduleRecord, Store } from '../store';
import { applyWrites } from './apply';
import { nameKey as key, uniqueName } from './names';

/**
 * The document of every schedule, ordered by name. Names are the document's identities, so two
 * schedules sharing one are told apart as "Name" and "Name (2)" (in creation order).
 */
export function exportDocument(engine: Engine, now: number): ExportDocument {
  const records = engine.listSchedules();
  const taken = new Set<string>();
  const nameOf = new Map<string, string>();
  for (const record of [...records].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))) {
    nameOf.set(record.id, uniqueName(record.name, taken));
  }
  const names = (ids: string[] | undefined) =>
    (ids ?? []).flatMap((id) => (nameOf.has(id) ? [nameOf.get(id)!] : []));
  const schedules = records.map((record) => {
    const candidate = {
      name: nameOf.get(record.id)!,
      notes: record.notes,
      group: record.group,
      enabled: record.enabled,
      trigger: record.trigger,
      action: record.action,
      policy: {
        ...record.policy,
        then: {
          onSuccess: names(record.policy.then?.onSuccess),
          onFailure: names(record.policy.then?.onFailure),
        },
      },
    };
    // Through the schema, so defaults a row stored long ago lacks are written out, as an import reads them.
    const parsed = DocumentSchedule.safeParse(candidate);
    return parsed.success ? parsed.data : (candidate as DocumentScheduleValue);
  });
  return { almanac: EXPORT_FORMAT, exportedAt: new Date(now).toISOString(), schedules };
}

type Plan =
  | { kind: 'create'; name: string; renamed: boolean }
  | { kind: 'replace'; id: string }
  | { kind: 'skip'; message: string; target: string | null };

function refuse(path: string, message: string): never {
  throw new AlmanacError('VALIDATION', `${path}: ${message}`, [{ path, message }]);
}

export function importDocument(
  engine: Engine,
  store: Store,
  now: number,
  input: MethodParsedInput<'schedules.import'>,
): DocumentImport {
  const { schedules } = input.document;
  const existing = engine.listSchedules();
  const byName = new Map<string, ScheduleRecord>();
  for (const record of existing) if (!byName.has(key(record.name))) byName.set(key(record.name), record);
  const taken = new Set(existing.map((record) => key(record.name)));
  for (const schedule of schedules) if (!byName.has(key(schedule.name))) taken.add(key(schedule.name));

  const plans: Plan[] = schedules.map((schedule) => {
    const twin = byName.get(key(schedule.name));
    if (twin && input.onConflict === 'skip') {
      return {
        kind: 'skip',
        message: `“${twin.name}” is already in Almanac; kept as it is`,
        target: twin.id,
      };
    }
    if (twin && input.onConflict === 'replace') return { kind: 'replace', id: twin.id };
    const { trigger } = schedule;
    if (trigger.type === 'once' && nextOccurrence(trigger, now, now) === null) {
      return { kind: 'skip', message: `Its time (${trigger.at}) has already passed`, target: null };
    }
    if (twin) return { kind: 'create', name: uniqueName(schedule.name, taken), renamed: true };
    return { kind: 'create', name: schedule.name, renamed: false };
  });

  // Chains by name: a schedule of the document first, else one already in Almanac.
  const docIndex = new Map(schedules.map((schedule, i) => [key(schedule.name), i]));
  type Node = { doc: number } | { id: string };
  const resolve = (name: string, path: string): Node => {
    const i = docIndex.get(key(name));
    if (i !== undefined) {
      const plan = plans[i]!;
      if (plan.kind === 'skip') {
        if (plan.target) return { id: plan.target };
        refuse(path, `“${name}” is not imported (${plan.message.toLowerCase()}), so nothing can chain to it`);
      }
      return plan.kind === 'replace' ? { id: plan.id } : { doc: i };
    }
    const record = byName.get(key(name));
    if (!record) refuse(path, `No schedule named “${name}” in the document or in Almanac`);
    return { id: record.id };
  };
  const links = schedules.map((schedule, i) =>
    plans[i]!.kind === 'skip'
      ? { onSuccess: [], onFailure: [] }
      : {
          onSuccess: schedule.policy.then.onSuccess.map((name, j) =>
            resolve(name, `document.schedules.${i}.policy.then.onSuccess.${j}`),
          ),
          onFailure: schedule.policy.then.onFailure.map((name, j) =>
            resolve(name, `document.schedules.${i}.policy.then.onFailure.${j}`),
          ),
        },
  );
  refuseLoops(existing, schedules, plans, links);

  const items: DocumentImportItem[] = schedules.map((schedule, i) => {
    const plan = plans[i]!;
    if (plan.kind === 'skip') return { name: schedule.name, status: 'skipped', message: plan.message };
    if (plan.kind === 'replace') return { name: schedule.name, status: 'replaced', id: plan.id };
    return { name: schedule.name, status: 'created', ...(plan.renamed ? { storedAs: plan.name } : {}) };
  });
  const count = (status: DocumentImportItem['status']) =>
    items.filter((item) => item.status === status).length;
  const result = { items, created: count('created'), replaced: count('replaced'), skipped: count('skipped') };
  if (input.dryRun) return result;

  const draft = (schedule: DocumentScheduleValue, name: string, then: ScheduleDraft['policy']['then']) =>
    ({ ...schedule, name, policy: { ...schedule.policy, then } }) as ScheduleDraft;
  const none = { onSuccess: [], onFailure: [] };
  applyWrites(engine, store, (writer) => {
    // First every schedule without its chains, then the chains: every intermediate graph is part
    // of the final one, which has no loop, so no write can trip the engine's loop check.
    const ids = plans.map((plan, i) => {
      const schedule = schedules[i]!;
      if (plan.kind === 'create') return writer.create(draft(schedule, plan.name, none)).id;
      if (plan.kind === 'replace') return writer.replace(plan.id, draft(schedule, schedule.name, none)).id;
      return null;
    });
    const idOf = (node: Node) => ('id' in node ? node.id : ids[node.doc]!);
    plans.forEach((plan, i) => {
      const id = ids[i];
      const link = links[i]!;
      if (!id || (!link.onSuccess.length && !link.onFailure.length)) return;
      const current = engine.getSchedule(id);
      writer.replace(id, {
        ...draft(schedules[i]!, current.name, {
          onSuccess: link.onSuccess.map(idOf),
          onFailure: link.onFailure.map(idOf),
        }),
      });
    });
    ids.forEach((id, i) => {
      if (id) items[i]!.id = id;
    });
  });
  return result;
}

/** Refuses a document whose chains, together with those already in Almanac, would loop. */
function refuseLoops(
  existing: ScheduleRecord[],
  schedules: DocumentScheduleValue[],
  plans: Plan[],
  links: {
    onSuccess: ({ doc: number } | { id: string })[];
    onFailure: ({ doc: number } | { id: string })[];
  }[],
): void {
  const nodeKey = (node: { doc: number } | { id: string }) =>
    'id' in node ? `id:${node.id}` : `doc:${node.doc}`;
  const edges = new Map<string, string[]>();
  const label = new Map<string, string>();
  for (const record of existing) {
    edges.set(
      `id:${record.id}`,
      [...(record.policy.then?.onSuccess ?? []), ...(record.policy.then?.onFailure ?? [])].map(
        (id) => `id:${id}`,
      ),
    );
    label.set(`id:${record.id}`, record.name);
  }
  plans.forEach((plan, i) => {
    if (plan.kind === 'skip') return;
    const node = plan.kind === 'replace' ? `id:${plan.id}` : `doc:${i}`;
    edges.set(node, [...links[i]!.onSuccess, ...links[i]!.onFailure].map(nodeKey));
    label.set(node, schedules[i]!.name);
  });
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      const loop = visit(next);
      if (loop) return loop;
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of edges.keys()) {
    const loop = visit(node);
    if (!loop) continue;
    const first = loop.find((node) => node.startsWith('doc:')) ?? loop[0]!;
    const index = plans.findIndex(
      (plan, i) => (plan.kind === 'replace' ? `id:${plan.id}` : `doc:${i}`) === first,
    );
    const names = loop.map((node) => `“${label.get(node) ?? node}”`).join(' → ');
    refuse(`document.schedules.${Math.max(0, index)}.policy.then`, `These chains would loop: ${names}`);
  }
}
