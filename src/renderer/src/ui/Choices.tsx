/** Pick one (radio group) or pick several (checkbox group), each choice with an optional explanation. */
import type { ReactNode } from 'react';
import {
  Checkbox,
  CheckboxGroup as AriaCheckboxGroup,
  FieldError,
  Label,
  Radio,
  RadioGroup as AriaRadioGroup,
  Text,
} from 'react-aria-components';
import './ui.css';
import type { Option } from './Select';

interface Common {
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
  path?: string;
  orientation?: 'horizontal' | 'vertical';
  className?: string;
}

export interface RadioGroupProps<K extends string> extends Common {
  value: K;
  onChange(value: K): void;
  options: readonly Option<K>[];
}

export function RadioGroup<K extends string>(props: RadioGroupProps<K>) {
  const { label, value, onChange, options, error, hint, path, orientation = 'vertical' } = props;
  return (
    <AriaRadioGroup
      value={value}
      onChange={(next) => onChange(next as K)}
      orientation={orientation}
      isInvalid={Boolean(error)}
      validationBehavior="aria"
      className={`ui-field ui-choices ui-choices-${orientation}${props.className ? ` ${props.className}` : ''}`}
      data-path={path}
    >
      <Label className="ui-label">{label}</Label>
      <div className="ui-choices-list">
        {options.map((option) => (
          <Radio key={option.id} value={option.id} className="ui-choice">
            <span className="ui-choice-mark ui-radio-mark" aria-hidden="true" />
            <span className="ui-choice-text">
              <span className="ui-option-label">{option.label}</span>
              {option.description ? (
                <span className="ui-option-description">{option.description}</span>
              ) : null}
            </span>
          </Radio>
        ))}
      </div>
      {hint ? (
        <Text slot="description" className="ui-hint">
          {hint}
        </Text>
      ) : null}
      <FieldError className="ui-error">{error}</FieldError>
    </AriaRadioGroup>
  );
}

export interface CheckboxGroupProps<K extends string> extends Common {
  value: readonly K[];
  onChange(value: K[]): void;
  options: readonly Option<K>[];
}

export function CheckboxGroup<K extends string>(props: CheckboxGroupProps<K>) {
  const { label, value, onChange, options, error, hint, path, orientation = 'horizontal' } = props;
  return (
    <AriaCheckboxGroup
      value={[...value]}
      onChange={(next) => onChange(next as K[])}
      isInvalid={Boolean(error)}
      validationBehavior="aria"
      className={`ui-field ui-choices ui-choices-${orientation}${props.className ? ` ${props.className}` : ''}`}
      data-path={path}
    >
      <Label className="ui-label">{label}</Label>
      <div className="ui-choices-list">
        {options.map((option) => (
          <Checkbox key={option.id} value={option.id} className="ui-choice ui-chip">
            <span className="ui-choice-mark ui-check-mark" aria-hidden="true" />
            <span className="ui-option-label">{option.label}</span>
          </Checkbox>
        ))}
      </div>
      {hint ? (
        <Text slot="description" className="ui-hint">
          {hint}
        </Text>
      ) : null}
      <FieldError className="ui-error">{error}</FieldError>
    </AriaCheckboxGroup>
  );
}
