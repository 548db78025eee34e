/** A labelled number input: typing, arrow keys and steppers, in the viewer's locale (react-aria). */
import type { ReactNode } from 'react';
import {
  Button,
  FieldError,
  Group,
  Input,
  Label,
  NumberField as AriaNumberField,
  Text,
} from 'react-aria-components';
import './ui.css';

export interface NumberFieldProps {
  label: ReactNode;
  /** NaN or null: empty. */
  value: number | null;
  onChange(value: number | null): void;
  error?: string | undefined;
  hint?: ReactNode;
  min?: number;
  max?: number;
  step?: number;
  path?: string;
  unit?: string;
  className?: string;
  'aria-label'?: string;
}

export function NumberField(props: NumberFieldProps) {
  const { label, value, onChange, error, hint, min, max, step, path, unit } = props;
  return (
    <AriaNumberField
      value={value ?? NaN}
      onChange={(next) => onChange(Number.isNaN(next) ? null : next)}
      minValue={min}
      maxValue={max}
      step={step}
      isInvalid={Boolean(error)}
      validationBehavior="aria"
      formatOptions={{ useGrouping: false, maximumFractionDigits: 3 }}
      className={`ui-field ui-number${props.className ? ` ${props.className}` : ''}`}
      data-path={path}
      aria-label={props['aria-label']}
    >
      {props['aria-label'] ? null : <Label className="ui-label">{label}</Label>}
      <Group className="ui-number-group">
        <Input className="ui-input" />
        {unit ? <span className="ui-unit">{unit}</span> : null}
        <Button slot="decrement" className="ui-step" aria-label="Decrease">
          −
        </Button>
        <Button slot="increment" className="ui-step" aria-label="Increase">
          +
        </Button>
      </Group>
      {hint ? (
        <Text slot="description" className="ui-hint">
          {hint}
        </Text>
      ) : null}
      <FieldError className="ui-error">{error}</FieldError>
    </AriaNumberField>
  );
}
