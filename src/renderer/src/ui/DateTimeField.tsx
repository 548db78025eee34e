/**
 * Date-and-time and time-of-day fields (react-aria DateField/TimeField): one segment per part, typed
 * or stepped with the arrow keys, laid out in the viewer's locale. Values are wall-clock strings
 * (`2026-12-24T18:00`, `09:30`) so the form state stays plain text.
 */
import { parseDateTime, parseTime, type CalendarDateTime, type Time } from '@internationalized/date';
import type { ReactNode } from 'react';
import {
  DateField as AriaDateField,
  DateInput,
  DateSegment,
  FieldError,
  Label,
  Text,
  TimeField as AriaTimeField,
} from 'react-aria-components';
import './ui.css';

interface Common {
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
  path?: string;
  className?: string;
}

function parse<T>(read: (text: string) => T, text: string): T | null {
  if (!text) return null;
  try {
    return read(text);
  } catch {
    return null;
  }
}

export interface DateTimeFieldProps extends Common {
  /** `YYYY-MM-DDTHH:MM` or '' for none. */
  value: string;
  onChange(value: string): void;
}

export function DateTimeField({ label, value, onChange, error, hint, path, className }: DateTimeFieldProps) {
  return (
    <AriaDateField
      value={parse(parseDateTime, value)}
      onChange={(next: CalendarDateTime | null) => onChange(next ? next.toString().slice(0, 16) : '')}
      granularity="minute"
      hourCycle={undefined}
      isInvalid={Boolean(error)}
      validationBehavior="aria"
      className={`ui-field ui-datefield${className ? ` ${className}` : ''}`}
      data-path={path}
    >
      <Label className="ui-label">{label}</Label>
      <DateInput className="ui-input ui-dateinput">
        {(segment) => <DateSegment segment={segment} className="ui-segment" />}
      </DateInput>
      {hint ? (
        <Text slot="description" className="ui-hint">
          {hint}
        </Text>
      ) : null}
      <FieldError className="ui-error">{error}</FieldError>
    </AriaDateField>
  );
}

export interface TimeFieldProps extends Common {
  /** `HH:MM`. */
  value: string;
  onChange(value: string): void;
}

export function TimeField({ label, value, onChange, error, hint, path, className }: TimeFieldProps) {
  return (
    <AriaTimeField
      value={parse(parseTime, value)}
      onChange={(next: Time | null) => {
        if (next) onChange(next.toString().slice(0, 5));
      }}
      granularity="minute"
      isInvalid={Boolean(error)}
      validationBehavior="aria"
      className={`ui-field ui-timefield${className ? ` ${className}` : ''}`}
      data-path={path}
    >
      <Label className="ui-label">{label}</Label>
      <DateInput className="ui-input ui-dateinput">
        {(segment) => <DateSegment segment={segment} className="ui-segment" />}
      </DateInput>
      {hint ? (
        <Text slot="description" className="ui-hint">
          {hint}
        </Text>
      ) : null}
      <FieldError className="ui-error">{error}</FieldError>
    </AriaTimeField>
  );
}
