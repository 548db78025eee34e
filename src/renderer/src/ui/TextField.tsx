/** A labelled text input (or text area), its hint and its error, wired for screen readers by react-aria. */
import type { ReactNode } from 'react';
import { FieldError, Input, Label, Text, TextArea, TextField as AriaTextField } from 'react-aria-components';
import './ui.css';

export interface TextFieldProps {
  label: ReactNode;
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
  hint?: ReactNode;
  placeholder?: string;
  multiline?: boolean;
  mono?: boolean;
  /** The form path this field edits (`action.url`): where errors land and the first one is focused. */
  path?: string;
  className?: string;
  autoFocus?: boolean;
  'aria-label'?: string;
}

export function TextField(props: TextFieldProps) {
  const { label, value, onChange, error, hint, placeholder, multiline, mono, path, className } = props;
  const inputClass = mono ? 'ui-input mono' : 'ui-input';
  return (
    <AriaTextField
      value={value}
      onChange={onChange}
      isInvalid={Boolean(error)}
      validationBehavior="aria"
      className={`ui-field${className ? ` ${className}` : ''}`}
      data-path={path}
      autoFocus={props.autoFocus}
      aria-label={props['aria-label']}
    >
      {props['aria-label'] ? null : <Label className="ui-label">{label}</Label>}
      {multiline ? (
        <TextArea className={inputClass} placeholder={placeholder} rows={3} spellCheck={false} />
      ) : (
        <Input className={inputClass} placeholder={placeholder} spellCheck={false} autoComplete="off" />
      )}
      {hint ? (
        <Text slot="description" className="ui-hint">
          {hint}
        </Text>
      ) : null}
      <FieldError className="ui-error">{error}</FieldError>
    </AriaTextField>
  );
}
