/**
 * Reading a crontab (issue 15 §2) as crontab(5) means it, line by line, into schedule drafts. Pure:
 * text and options in, one entry per job line out; storing them is `schedules.importCrontab`'s.
 *
 * - user crontabs, and `/etc/cron.d` files whose sixth column is the user (noted, not run as);
 * - `CRON_TZ=` and `TZ=` set the time zone of the lines after them (TZ also reaches the command's
 *   environment, as cron gives it);
 * - `NAME=value` lines (value optionally quoted) become the environment of the commands after them;
 *   `SHELL` runs the command through that shell, `HOME` is its working directory, and `MAILTO=""`
 *   (no mail) becomes `notify: never`;
 * - comment lines just above a job (no blank line between) become its notes, the first that
 *   describes it (not a job commented out) its name; crontab -e's template header is dropped;
 * - `%` in a command: the command ends at the first unescaped `%`, the rest is its standard input,
 *   with each further `%` a newline (`\%` is a literal `%`). Almanac's command action has no stdin
 *   of its own, so the input is carried as a shell here-document on the whole command:
 *   `{ command\n} <<'CRON_STDIN'\n…\nCRON_STDIN`, which /bin/sh feeds exactly as cron would.
 */
import { isTimeZone, ScheduleFields, type ScheduleDraft, type ScheduleInput } from '../../shared/domain';
import { normalizeCron } from '../../shared/cron-normalize';

export type CrontabFormat = 'user' | 'system';

export interface CrontabOptions {
  /** The zone of lines before any CRON_TZ / TZ line. */
  timezone: string;
  group?: string;
  /** `auto`: system when every job line's sixth column is a user of this machine. */
  format: CrontabFormat | 'auto';
  isUser: (name: string) => boolean;
}

export type { ScheduleDraft };

export interface CrontabEntry {
  line: string;
  lineNumber: number;
  status: 'ok' | 'skipped' | 'error';
  message?: string;
  /** The user column of a system crontab. */
  user?: string;
  schedule?: ScheduleDraft;
}

export interface CrontabReading {
  format: CrontabFormat;
  entries: CrontabEntry[];
}

const NAME_MAX = 80;
const HEADER = /^m\s+h\s+dom\s+mon\s+dow/i;
const ENV_LINE = /^\s*("[^"]*"|'[^']*'|[^\s="']+)\s*=(.*)$/;

interface Job {
  lineNumber: number;
  line: string;
  tokens: string[];
  /** Where the schedule's fields end (5 fields, or 1 for a nickname). */
  fieldCount: number;
  comments: string[];
  env: Record<string, string>;
  zone: { name: string; valid: boolean; lineNumber: number | null; variable: string };
}

/** Splits a line into its first `n` blank-separated tokens and the rest, as written. */
function splitFields(line: string, n: number): { fields: string[]; rest: string } {
  const fields: string[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const match = /^\s*(\S+)/.exec(line.slice(at));
    if (!match) break;
    fields.push(match[1]!);
    at += match[0].length;
  }
  return { fields, rest: line.slice(at).replace(/^[ \t]+/, '') };
}

function unquote(value: string): string {
  const trimmed = value.trim();
  const quoted = /^"(.*)"$|^'(.*)'$/.exec(trimmed);
  return quoted ? (quoted[1] ?? quoted[2]!) : trimmed;
}

/** The command up to its first unescaped `%`, and what follows as standard input (null: none). */
export function splitPercent(command: string): { command: string; stdin: string | null } {
  let out = '';
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (ch === '\\' && command[i + 1] === '%') {
      out += '%';
      i++;
    } else if (ch === '%') {
      let stdin = '';
      for (let j = i + 1; j < command.length; j++) {
        const c = command[j]!;
        if (c === '\\' && command[j + 1] === '%') {
          stdin += '%';
          j++;
        } else stdin += c === '%' ? '\n' : c;
      }
      return { command: out, stdin };
    } else out += ch;
  }
  return { command: out, stdin: null };
}

const singleQuoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The command as /bin/sh will be given it: through the crontab's SHELL, with its stdin. */
export function shellCommand(command: string, stdin: string | null, shell: string | undefined): string {
  let body = command;
  if (shell && !/^\/(usr\/)?bin\/sh$/.test(shell)) body = `exec ${shell} -c ${singleQuoted(command)}`;
  if (stdin === null) return body;
  const lines = stdin.split('\n');
  let delimiter = 'CRON_STDIN';
  for (let n = 1; lines.includes(delimiter); n++) delimiter = `CRON_STDIN_${n}`;
  const input = stdin === '' || stdin.endsWith('\n') ? stdin : `${stdin}\n`;
  return `{ ${body}\n} <<'${delimiter}'\n${input}${delimiter}`;
}

/** A comment line that says what a job is: not crontab's column header, not a job commented out. */
function describes(comment: string): boolean {
  const text = comment.trim();
  if (text === '') return false;
  const first = text.split(/\s+/);
  const pattern = first[0]!.startsWith('@') ? first[0]! : first.slice(0, 5).join(' ');
  return first.length < 6 || 'error' in normalizeCron(pattern);
}

/** The first comment line above the job that describes it; else the command's first words. */
function nameFor(job: Job, command: string): string {
  const comment = job.comments.find(describes)?.trim();
  if (comment && comment.length <= NAME_MAX) return comment;
  const words = command.replace(/\s+/g, ' ').trim();
  return words.length <= NAME_MAX ? words : `${words.slice(0, NAME_MAX - 1)}…`;
}

function isJobLine(tokens: string[]): boolean {
  return tokens.length > 0 && /^[\d*?/@A-Za-z,-]/.test(tokens[0]!);
}

function detectFormat(jobs: Job[], options: CrontabOptions): CrontabFormat {
  if (options.format !== 'auto') return options.format;
  if (jobs.length === 0) return 'user';
  const system = jobs.every((job) => {
    const user = job.tokens[job.fieldCount];
    return user !== undefined && job.tokens.length > job.fieldCount + 1 && options.isUser(user);
  });
  return system ? 'system' : 'user';
}

/** Reads every line; env, zone and comment lines shape the jobs after them and are not entries. */
export function readCrontab(text: string, options: CrontabOptions): CrontabReading {
  const jobs: Job[] = [];
  const others: CrontabEntry[] = [];
  let comments: string[] = [];
  let env: Record<string, string> = {};
  let zone: Job['zone'] = { name: options.timezone, valid: true, lineNumber: null, variable: '' };
  text.split(/\r?\n/).forEach((raw, index) => {
    const lineNumber = index + 1;
    const line = raw.trimEnd();
    const trimmed = line.trim();
    if (trimmed === '') {
      comments = [];
      return;
    }
    if (trimmed.startsWith('#')) {
      const comment = trimmed.replace(/^#\s?/, '');
      // crontab -e's template ends with the column header: what is above it is not about a job.
      if (HEADER.test(comment.trim())) comments = [];
      else comments.push(comment);
      return;
    }
    const assignment = ENV_LINE.exec(line);
    if (assignment) {
      const name = unquote(assignment[1]!);
      const value = unquote(assignment[2]!);
      if (name === 'CRON_TZ' || name === 'TZ') {
        zone = { name: value, valid: isTimeZone(value), lineNumber, variable: name };
      }
      if (name !== 'CRON_TZ') env = { ...env, [name]: value };
      comments = [];
      return;
    }
    const tokens = trimmed.split(/\s+/);
    if (!isJobLine(tokens)) {
      others.push({
        line,
        lineNumber,
        status: 'error',
        message: 'Neither a job, a NAME=value line nor a comment',
      });
      comments = [];
      return;
    }
    const fieldCount = tokens[0]!.startsWith('@') ? 1 : 5;
    jobs.push({ lineNumber, line, tokens, fieldCount, comments, env, zone });
    comments = [];
  });
  const format = detectFormat(jobs, options);
  const entries = [...others, ...jobs.map((job) => readJob(job, format, options))];
  entries.sort((a, b) => a.lineNumber - b.lineNumber);
  return { format, entries };
}

function readJob(job: Job, format: CrontabFormat, options: CrontabOptions): CrontabEntry {
  const { line, lineNumber } = job;
  const entry = (status: CrontabEntry['status'], message: string): CrontabEntry => ({
    line,
    lineNumber,
    status,
    message,
  });
  const columns = job.fieldCount + (format === 'system' ? 1 : 0);
  const { fields, rest } = splitFields(line, columns);
  const pattern = fields.slice(0, job.fieldCount).join(' ');
  if (fields.length < columns || rest.trim() === '') {
    const what = format === 'system' ? 'the schedule, a user and a command' : 'the schedule and a command';
    return entry('error', `Expected ${what}; this line ends early`);
  }
  const user = format === 'system' ? fields[columns - 1] : undefined;
  const normalised = normalizeCron(pattern);
  if ('error' in normalised) {
    const startup = pattern.toLowerCase() === '@reboot';
    return { ...entry(startup ? 'skipped' : 'error', normalised.error), ...(user ? { user } : {}) };
  }
  if (!job.zone.valid) {
    return entry(
      'error',
      `${job.zone.variable}=${job.zone.name} (line ${job.zone.lineNumber}) is not a time zone Almanac knows`,
    );
  }
  const { command, stdin } = splitPercent(rest);
  if (command.trim() === '') return entry('error', 'The command before the first % is empty');
  const { SHELL: shell, HOME: home, MAILTO: mailTo, ...kept } = job.env;
  const env = { ...kept, ...(home !== undefined ? { HOME: home } : {}) };
  const notes = [
    ...job.comments,
    ...(user ? [`From an /etc/cron.d line that ran as ${user}; Almanac runs it as you.`] : []),
  ].join('\n');
  const draft: ScheduleInput = {
    name: nameFor(job, command),
    notes,
    ...(options.group ? { group: options.group } : {}),
    trigger: { type: 'cron', expression: normalised.expression, timezone: job.zone.name },
    action: {
      type: 'command',
      command: shellCommand(command, stdin, shell),
      shell: true,
      ...(home ? { cwd: home } : {}),
      ...(Object.keys(env).length ? { env } : {}),
    },
    ...(mailTo === '' ? { policy: { notify: 'never' } } : {}),
  };
  const checked = ScheduleFields.safeParse(draft);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    return entry('error', `${issue.path.join('.')}: ${issue.message}`);
  }
  const notices = [
    normalised.changed ? `${pattern} reads as ${normalised.expression}` : null,
    user ? `ran as ${user}; Almanac runs it as you` : null,
  ].filter(Boolean);
  return {
    line,
    lineNumber,
    status: 'ok',
    ...(notices.length ? { message: notices.join('; ') } : {}),
    ...(user ? { user } : {}),
    schedule: checked.data,
  };
}
