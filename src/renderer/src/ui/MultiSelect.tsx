/**
 * Several values from a short list (statuses, triggers): react-aria's Select in multiple mode, with
 * a label screen readers read, a popover list with check marks, and an error beside it.
 */
import {
  Button,
  FieldError,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
  Text,
} from 'react-aria-components';
import './pickers.css';

export interface MultiSelectOption<K extends string> {
  id: K;
  label: string;
}

export interface MultiSelectProps<K extends string> {
  label: string;
  options: readonly MultiSelectOption<K>[];
  value: readonly K[];
  onChange(value: K[]): void;
  /** Shown when nothing is chosen (nothing chosen means "any"). */
  placeholder?: string;
  error?: string | undefined;
  testId?: string;
}

export function MultiSelect<K extends string>({
  label,
  options,
  value,
  onChange,
  placeholder = 'Any',
  error,
  testId,
}: MultiSelectProps<K>) {
  return (
    <Select
      selectionMode="multiple"
      className="picker"
      value={value as K[]}
      onChange={(keys) => onChange(keys as K[])}
      isInvalid={!!error}
      placeholder={placeholder}
      data-testid={testId}
    >
      <Label className="picker-label">{label}</Label>
      <Button className="picker-button">
        <SelectValue className="picker-value">
          {({ isPlaceholder, selectedItems }) =>
            isPlaceholder
              ? placeholder
              : selectedItems.length <= 2
                ? selectedItems.map((item) => (item as MultiSelectOption<K> | null)?.label).join(', ')
                : `${selectedItems.length} chosen`
          }
        </SelectValue>
        <span aria-hidden="true" className="picker-chevron">
          ▾
        </span>
      </Button>
      {error ? (
        <Text slot="errorMessage" className="field-error">
          {error}
        </Text>
      ) : (
        <FieldError className="field-error" />
      )}
      <Popover className="picker-popover">
        <ListBox className="picker-list" items={options}>
          {(option) => (
            <ListBoxItem id={option.id} className="picker-item" textValue={option.label}>
              {({ isSelected }) => (
                <>
                  <span className="picker-check" aria-hidden="true">
                    {isSelected ? '✓' : ''}
                  </span>
                  {option.label}
                </>
              )}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </Select>
  );
}
