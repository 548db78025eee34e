/**
 * The export document (issue 15 §3): every schedule's definition — trigger, action, policy, group —
 * with chains by name rather than id, and no run history. Versioned by `almanac`, so a file from a
 * newer Almanac is refused with a sentence instead of being half read.
 */
import { z } from 'zod';
import { Action, Instant, Policy, ScheduleFields, Trigger } from './domain';

export const EXPORT_FORMAT = 1;
/** A document is at most this many schedules (about the size the HTTP body limit lets through). */
export const EXPORT_MAX_SCHEDULES = 5000;

const ScheduleName = ScheduleFields.shape.name;
const ChainNames = z.array(ScheduleName).max(20).default([]);

/** A policy whose `then` names schedules (of the document, or already in Almanac). */
export const DocumentPolicy = Policy.extend({
  then: z
    .strictObject({ onSuccess: ChainNames, onFailure: ChainNames })
    .default({ onSuccess: [], onFailure: [] }),
});

export const DocumentSchedule = z.strictObject({
  name: ScheduleName,
  notes: z.string().max(10_000).default(''),
  group: z.string().trim().min(1).max(100).nullable().default(null),
  enabled: z.boolean().default(true),
  trigger: Trigger,
  action: Action,
  policy: DocumentPolicy.default(DocumentPolicy.parse({})),
});
export type DocumentSchedule = z.output<typeof DocumentSchedule>;

export const ExportDocument = z
  .strictObject({
    almanac: z
      .number()
      .int()
      .min(1, 'Not an Almanac export (format must be 1 or later)')
      .refine((format) => format <= EXPORT_FORMAT, {
        message: `This document comes from a newer Almanac; this one reads format ${EXPORT_FORMAT}`,
      }),
    exportedAt: Instant,
    schedules: z.array(DocumentSchedule).max(EXPORT_MAX_SCHEDULES),
  })
  .superRefine((document, ctx) => {
    // Chains are by name, so a name must say which schedule it is.
    const seen = new Map<string, number>();
    document.schedules.forEach((schedule, i) => {
      const key = schedule.name.trim().toLowerCase();
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else {
        ctx.addIssue({
          code: 'custom',
          path: ['schedules', i, 'name'],
          message: `Schedule ${first + 1} already has the name “${schedule.name}”`,
        });
      }
    });
  });
export type ExportDocument = z.output<typeof ExportDocument>;
