/** A labelled single-choice select for list filters (react-aria-components Select). */
import type { Key } from 'react-aria-components';
import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';
import './FilterSelect.css';

export interface FilterOption {
  id: string;
  label: string;
}

export interface FilterSelectProps {
  label: string;
  options: readonly FilterOption[];
  value: string;
  onChange(value: string): void;
  testId?: string;
}

export function FilterSelect({ label, options, value, onChange, testId }: FilterSelectProps) {
  return (
    <Select
      className="filter-select"
      value={value}
      onChange={(key: Key | null) => {
        if (key !== null) onChange(String(key));
      }}
      data-testid={testId}
    >
      <Label className="filter-select-label">{label}</Label>
      <Button className="filter-select-button">
        <SelectValue className="filter-select-value" />
        <span aria-hidden="true" className="filter-select-chevron">
          ▾
        </span>
      </Button>
      <Popover className="filter-select-popover" placement="bottom start">
        <ListBox className="filter-select-list" items={options}>
          {(option) => (
            <ListBoxItem className="filter-select-option" id={option.id} textValue={option.label}>
              {option.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </Select>
  );
}
