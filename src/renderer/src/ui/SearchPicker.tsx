/**
 * A searchable pick from a long list (a schedule among hundreds): react-aria's ComboBox, typed into
 * to narrow, labelled, with its error beside it. `null` is "any"; a clear button returns to it.
 */
import { Button, ComboBox, Input, Label, ListBox, ListBoxItem, Popover, Text } from 'react-aria-components';
import './pickers.css';

export interface SearchPickerProps {
  label: string;
  options: readonly { id: string; label: string }[];
  value: string | null;
  onChange(value: string | null): void;
  placeholder?: string;
  error?: string | undefined;
  testId?: string;
}

export function SearchPicker({
  label,
  options,
  value,
  onChange,
  placeholder = 'Any',
  error,
  testId,
}: SearchPickerProps) {
  return (
    <ComboBox
      className="picker"
      selectedKey={value}
      onSelectionChange={(key) => onChange(key === null ? null : String(key))}
      defaultItems={options}
      isInvalid={!!error}
      menuTrigger="focus"
      allowsEmptyCollection
      data-testid={testId}
    >
      <Label className="picker-label">{label}</Label>
      <div className="picker-combo">
        <Input className="picker-input" placeholder={placeholder} />
        {value !== null ? (
          <button
            type="button"
            className="picker-clear"
            aria-label={`Clear ${label.toLowerCase()}`}
            onClick={() => onChange(null)}
          >
            ×
          </button>
        ) : null}
        <Button className="picker-chevron-button" aria-label={`Show ${label.toLowerCase()} choices`}>
          ▾
        </Button>
      </div>
      {error ? (
        <Text slot="errorMessage" className="field-error">
          {error}
        </Text>
      ) : null}
      <Popover className="picker-popover">
        <ListBox
          className="picker-list"
          renderEmptyState={() => <div className="picker-empty">No match</div>}
        >
          {(option: { id: string; label: string }) => (
            <ListBoxItem id={option.id} className="picker-item" textValue={option.label}>
              {option.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
