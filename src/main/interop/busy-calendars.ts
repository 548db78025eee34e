/**
 * The busy calendars of the settings, kept read: each file is parsed once and again whenever it
 * changes on disk. `fs.watch` says so at once where it can; a poll (on the injected clock, so
 * tests drive it) catches what watching misses — editors that replace a file by renaming, network
 * disks, platforms without watching. A change tells the page through `busy.changed`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BusyProblem } from '../../shared/api';
import type { BusyCalendar } from '../../shared/settings';
import type { Clock, TimerHandle } from '../engine/ports';
import { busyBlocks, parseCalendar, type BusyInterval, type ParsedCalendar } from './busy';

export const BUSY_MAX_BYTES = 5 * 1024 * 1024;
export const BUSY_POLL_MS = 30_000;

/** What the service needs of the file system; tests may hand in their own. */
export interface BusyFiles {
  stat(file: string): { size: number; mtimeMs: number; isFile: boolean };
  read(file: string): string;
  /** Calls `changed` when the file may have changed; returns a stop. May throw (then only polling). */
  watch(file: string, changed: () => void): () => void;
}

export const nodeFiles: BusyFiles = {
  stat(file) {
    const stat = fs.statSync(file);
    return { size: stat.size, mtimeMs: stat.mtimeMs, isFile: stat.isFile() };
  },
  read: (file) => fs.readFileSync(file, 'utf8'),
  watch(file, changed) {
    const watcher = fs.watch(file, { persistent: false }, () => changed());
    watcher.on('error', () => watcher.close());
    return () => watcher.close();
  },
};

/** Reads and parses one busy calendar file, or says in a sentence why it cannot. */
export function readBusyCalendar(
  file: string,
  files: BusyFiles,
): { calendar: ParsedCalendar; signature: string } | { problem: string } {
  if (!path.isAbsolute(file))
    return { problem: 'Use the full path of the file (it starts with / or a drive)' };
  let stat;
  try {
    stat = files.stat(file);
  } catch {
    return { problem: 'There is no file at this path' };
  }
  if (!stat.isFile) return { problem: 'This is a folder, not an .ics file' };
  if (stat.size > BUSY_MAX_BYTES) return { problem: 'This file is larger than 5 MB' };
  let text: string;
  try {
    text = files.read(file);
  } catch (error) {
    return { problem: `This file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    return { calendar: parseCalendar(text), signature: `${stat.size}:${stat.mtimeMs}` };
  } catch (error) {
    return { problem: `Not an iCalendar file: ${(error as Error).message}` };
  }
}

interface Entry {
  calendar: BusyCalendar;
  signature: string | null;
  parsed: ParsedCalendar | null;
  problem: string | null;
  unwatch: (() => void) | null;
}

export interface BusyCalendarOptions {
  files?: BusyFiles;
  timers: Pick<Clock, 'setTimer' | 'clearTimer' | 'now'>;
  pollMs?: number;
  /** A calendar's file changed and was read again. */
  onChange?: (calendar: BusyCalendar) => void;
}

export class BusyCalendars {
  private entries: Entry[] = [];
  private poll: TimerHandle | null = null;
  private readonly files: BusyFiles;
  private readonly pollMs: number;

  constructor(private readonly options: BusyCalendarOptions) {
    this.files = options.files ?? nodeFiles;
    this.pollMs = options.pollMs ?? BUSY_POLL_MS;
  }

  /** Follows the settings: calendars added are read, calendars removed are let go. */
  configure(calendars: readonly BusyCalendar[]): void {
    const kept = new Map(this.entries.map((entry) => [entry.calendar.path, entry]));
    const next: Entry[] = [];
    for (const calendar of calendars) {
      const entry = kept.get(calendar.path);
      kept.delete(calendar.path);
      if (entry) next.push({ ...entry, calendar });
      else next.push({ calendar, signature: null, parsed: null, problem: null, unwatch: null });
    }
    for (const gone of kept.values()) gone.unwatch?.();
    this.entries = next;
    for (const entry of this.entries) if (entry.signature === null) this.refresh(entry);
    this.armPoll();
  }

  /** Busy blocks overlapping [from, to), and the calendars that cannot be read now. */
  blocks(from: number, to: number, floatingZone: string): { busy: BusyInterval[]; problems: BusyProblem[] } {
    const readable = this.entries.filter((entry) => entry.parsed && !entry.problem);
    return {
      busy: busyBlocks(
        readable.map((entry) => ({ name: entry.calendar.name, calendar: entry.parsed! })),
        from,
        to,
        floatingZone,
      ),
      problems: this.entries
        .filter((entry) => entry.problem)
        .map((entry) => ({
          calendar: entry.calendar.name,
          path: entry.calendar.path,
          message: entry.problem!,
        })),
    };
  }

  /** Reads every calendar whose file changed since it was last read. */
  refreshAll(): void {
    for (const entry of this.entries) this.refresh(entry);
  }

  close(): void {
    for (const entry of this.entries) entry.unwatch?.();
    this.entries = [];
    this.armPoll();
  }

  private refresh(entry: Entry): void {
    let signature: string | null = null;
    try {
      const stat = this.files.stat(entry.calendar.path);
      signature = `${stat.size}:${stat.mtimeMs}`;
    } catch {
      signature = 'missing';
    }
    if (signature === entry.signature) return;
    const first = entry.signature === null;
    const read = readBusyCalendar(entry.calendar.path, this.files);
    entry.signature = 'signature' in read ? read.signature : signature;
    entry.parsed = 'calendar' in read ? read.calendar : entry.parsed;
    entry.problem = 'problem' in read ? read.problem : null;
    // Walk the recurrences up to now once, here, so the grid's first look does not pay for years of history.
    if ('calendar' in read) {
      const now = this.options.timers.now();
      busyBlocks([{ name: entry.calendar.name, calendar: read.calendar }], now, now + 1, 'UTC');
    }
    // A renamed-over file is a new inode: watch the one that is there now.
    entry.unwatch?.();
    entry.unwatch = null;
    if (!entry.problem) {
      try {
        entry.unwatch = this.files.watch(entry.calendar.path, () => this.refreshEntry(entry.calendar.path));
      } catch {
        // Watching is not available here: the poll still sees the change.
      }
    }
    if (!first) this.options.onChange?.(entry.calendar);
  }

  private refreshEntry(file: string): void {
    const entry = this.entries.find((candidate) => candidate.calendar.path === file);
    if (entry) this.refresh(entry);
  }

  private armPoll(): void {
    if (this.poll) this.options.timers.clearTimer(this.poll);
    this.poll = null;
    if (!this.entries.length) return;
    this.poll = this.options.timers.setTimer(() => {
      this.poll = null;
      this.refreshAll();
      this.armPoll();
    }, this.pollMs);
  }
}
