/**
 * A labelled searchable pick (react-aria ComboBox): type to filter, arrows to choose, and free text
 * where `allowsCustomValue` (a new group name). Typing or the arrow keys open the list. The text typed is the value, so an unknown entry
 * stays visible with its error beside it.
 */
import type { ReactNode } from 'react';
import {
  ComboBox as AriaComboBox,
  FieldError,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Text,
} from 'react-aria-components';
import './ui.css';
import type { Option } from './Select';

export interface ComboBoxProps {
  label: ReactNode;
  /** The text in the box. */
  value: string;
  onChange(value: string): void;
  options: readonly Option[];
  error?: string | undefined;
  hint?: ReactNode;
  path?: string;
  placeholder?: string;
  className?: string;
  /** How many matches the list shows at most (long lists such as the ~400 IANA zones). */
  limit?: number;
  /** A second line for a shown option, computed only for what the list shows (a zone's offset). */
  describe?: (option: Option) => string;
}

export function ComboBox(props: ComboBoxProps) {
  const { label, value, onChange, options, error, hint, path, limit = 80 } = props;
  const needle = value.trim().toLowerCase();
  const exact = options.some((option) => option.id === value);
  // An exact pick shows the whole list (opening it again should not show one item).
  const matches = (exact || !needle ? options : options.filter((o) => matchesOption(o, needle))).slice(
    0,
    limit,
  );
  return (
    <AriaComboBox
      inputValue={value}
      onInputChange={onChange}
      onSelectionChange={(key) => {
        if (key !== null) onChange(String(key));
      }}
      selectedKey={exact ? value : null}
      allowsCustomValue
      items={matches}
      isInvalid={Boolean(error)}
      validationBehavior="aria"
      className={`ui-field ui-combobox${props.className ? ` ${props.className}` : ''}`}
      data-path={path}
    >
      <Label className="ui-label">{label}</Label>
      <div className="ui-combobox-row">
        <Input className="ui-input" placeholder={props.placeholder} spellCheck={false} />
        <span className="ui-combobox-button" aria-hidden="true">
          ▾
        </span>
      </div>
      {hint ? (
        <Text slot="description" className="ui-hint">
          {hint}
        </Text>
      ) : null}
      <FieldError className="ui-error">{error}</FieldError>
      <Popover className="ui-popover">
        <ListBox className="ui-listbox">
          {(option: Option) => (
            <ListBoxItem id={option.id} textValue={option.id} className="ui-option">
              <span className="ui-option-label">{option.label}</span>
              <span className="ui-option-description">
                {props.describe ? props.describe(option) : option.description}
              </span>
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </AriaComboBox>
  );
}

function matchesOption(option: Option, needle: string): boolean {
  const words = needle.split(/[\s/_]+/).filter(Boolean);
  const hay = `${option.id} ${option.label} ${option.description ?? ''}`.toLowerCase().replace(/_/g, ' ');
  return words.every((word) => hay.includes(word));
}
