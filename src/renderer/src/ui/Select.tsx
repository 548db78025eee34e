/** A labelled pick-one list (react-aria Select): a button that opens a listbox, typeahead included. */
import type { Key, ReactNode } from 'react';
import {
  Button,
  FieldError,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select as AriaSelect,
  SelectValue,
  Text,
} from 'react-aria-components';
import './ui.css';

export interface Option<K extends string = string> {
  id: K;
  label: string;
  /** A second line in the list, e.g. what an overlap policy does. */
  description?: string;
}

export interface SelectProps<K extends string> {
  label: ReactNode;
  value: K | null;
  onChange(value: K): void;
  options: readonly Option<K>[];
  error?: string | undefined;
  hint?: ReactNode;
  path?: string;
  placeholder?: string;
  className?: string;
  /** The label is read by screen readers but not shown (a row whose heading says it). */
  hideLabel?: boolean;
}

export function Select<K extends string>(props: SelectProps<K>) {
  const { label, value, onChange, options, error, hint, path } = props;
  return (
    <AriaSelect
      value={value}
      onChange={(key: Key | null) => {
        if (key !== null) onChange(String(key) as K);
      }}
      isInvalid={Boolean(error)}
      validationBehavior="aria"
      placeholder={props.placeholder}
      className={`ui-field ui-select${props.className ? ` ${props.className}` : ''}`}
      data-path={path}
    >
      <Label className={props.hideLabel ? 'visually-hidden' : 'ui-label'}>{label}</Label>
      <Button className="ui-input ui-select-button">
        <SelectValue className="ui-select-value" />
        <span aria-hidden="true" className="ui-chevron">
          ▾
        </span>
      </Button>
      {hint ? (
        <Text slot="description" className="ui-hint">
          {hint}
        </Text>
      ) : null}
      <FieldError className="ui-error">{error}</FieldError>
      <Popover className="ui-popover">
        <ListBox className="ui-listbox" items={options}>
          {(option) => (
            <ListBoxItem id={option.id} textValue={option.label} className="ui-option">
              <Text slot="label" className="ui-option-label">
                {option.label}
              </Text>
              {option.description ? (
                <Text slot="description" className="ui-option-description">
                  {option.description}
                </Text>
              ) : null}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </AriaSelect>
  );
}
