/** A small group of mutually exclusive toggle buttons (react-aria-components ToggleButtonGroup), e.g. a sort order. */
import type { Key } from 'react-aria-components';
import { ToggleButton, ToggleButtonGroup } from 'react-aria-components';
import './ChoiceToggle.css';

export interface ChoiceToggleProps {
  label: string;
  options: readonly { id: string; label: string }[];
  value: string;
  onChange(value: string): void;
}

export function ChoiceToggle({ label, options, value, onChange }: ChoiceToggleProps) {
  return (
    <div className="choice-toggle">
      <span className="choice-toggle-label" aria-hidden="true">
        {label}
      </span>
      <ToggleButtonGroup
        aria-label={label}
        className="choice-toggle-group"
        selectionMode="single"
        disallowEmptySelection
        selectedKeys={[value]}
        onSelectionChange={(keys: Set<Key>) => {
          const [first] = keys;
          if (first !== undefined) onChange(String(first));
        }}
      >
        {options.map((option) => (
          <ToggleButton key={option.id} id={option.id} className="choice-toggle-button">
            {option.label}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
    </div>
  );
}
