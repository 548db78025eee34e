/** One value from a short list (a time range): react-aria's Select, labelled, with its error beside it. */
import {
  Button,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
  Text,
} from 'react-aria-components';
import './pickers.css';

export interface OptionSelectProps<K extends string> {
  label: string;
  options: readonly { id: K; label: string }[];
  value: K;
  onChange(value: K): void;
  error?: string | undefined;
  testId?: string;
}

export function OptionSelect<K extends string>({
  label,
  options,
  value,
  onChange,
  error,
  testId,
}: OptionSelectProps<K>) {
  return (
    <Select
      className="picker"
      value={value}
      onChange={(key) => {
        if (key !== null) onChange(key as K);
      }}
      isInvalid={!!error}
      data-testid={testId}
    >
      <Label className="picker-label">{label}</Label>
      <Button className="picker-button">
        <SelectValue className="picker-value" />
        <span aria-hidden="true" className="picker-chevron">
          ▾
        </span>
      </Button>
      {error ? (
        <Text slot="errorMessage" className="field-error">
          {error}
        </Text>
      ) : null}
      <Popover className="picker-popover">
        <ListBox className="picker-list" items={options}>
          {(option) => (
            <ListBoxItem id={option.id} className="picker-item" textValue={option.label}>
              {option.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </Select>
  );
}
