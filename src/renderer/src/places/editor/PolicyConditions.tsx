/**
 * Two policy fields of the Rules section: `whenBusy` (issue 15 §5: what an occurrence inside a busy
 * calendar block does) and `conditions` (issue 16 §2: AC power, idle time). Self-contained: the
 * editor passes the policy and takes back the changed fields. Errors come from the same zod schemas
 * main uses, beside their field. Where the platform cannot tell power or idle time (browser mode),
 * it says so beside the conditions: such runs go ahead.
 */
import { useId } from 'react';
import {
  Checkbox,
  FieldError,
  Group,
  Input,
  Label,
  NumberField,
  Radio,
  RadioGroup,
  Text,
} from 'react-aria-components';
import { RunConditions, WhenBusy, type PolicyInput } from '../../../../shared/domain';
import './PolicyConditions.css';

export type PolicyConditionsValue = Pick<PolicyInput, 'whenBusy' | 'conditions'>;

export interface PolicyConditionsProps {
  policy: PolicyConditionsValue;
  onChange(next: PolicyConditionsValue): void;
  /** app.status.conditionsSupported: false in browser mode. */
  conditionsSupported: boolean;
}

const WHEN_BUSY: { id: WhenBusy; label: string; description: string }[] = [
  { id: 'run', label: 'Run anyway', description: 'Busy calendars change nothing.' },
  {
    id: 'defer',
    label: 'Run after the busy time',
    description: 'Runs once when the block ends; its history row names the block.',
  },
  {
    id: 'skip',
    label: 'Skip',
    description: 'Not run; its history row says skipped, naming the block.',
  },
];

function CheckMark() {
  return (
    <span className="policy-conditions-box" aria-hidden="true">
      <svg viewBox="0 0 16 16" width="12" height="12">
        <path
          d="M3.5 8.5l3 3 6-7"
          fill="none"
          strokeWidth="2.2"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
    </span>
  );
}

/** The schema's message for one conditions field, or undefined. */
function conditionError(conditions: PolicyConditionsValue['conditions'], key: 'idleForSeconds') {
  const result = RunConditions.safeParse(conditions ?? {});
  if (result.success) return undefined;
  return result.error.issues.find((issue) => issue.path[0] === key)?.message;
}

export function PolicyConditions({ policy, onChange, conditionsSupported }: PolicyConditionsProps) {
  const id = useId();
  const whenBusy = policy.whenBusy ?? 'run';
  const conditions = policy.conditions ?? {};
  const idleOn = conditions.idleForSeconds !== undefined;
  const idleError = idleOn ? conditionError(policy.conditions, 'idleForSeconds') : undefined;
  const unsupportedId = `${id}-unsupported`;
  const setConditions = (next: NonNullable<PolicyConditionsValue['conditions']>) => {
    // none left is `{}`, not absent: a schedules.update patch without `conditions` keeps the stored ones
    const cleaned = Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined));
    onChange({ ...policy, conditions: cleaned });
  };

  return (
    <div className="policy-conditions">
      <RadioGroup
        className="policy-conditions-group"
        value={whenBusy}
        onChange={(value) => onChange({ ...policy, whenBusy: WhenBusy.parse(value) })}
      >
        <Label className="policy-conditions-label">During busy calendar time</Label>
        <Text slot="description" className="policy-conditions-hint">
          For occurrences inside a block of the busy calendars in Settings.
        </Text>
        {WHEN_BUSY.map((option) => (
          <Radio key={option.id} value={option.id} className="policy-conditions-choice">
            <span className="policy-conditions-mark" aria-hidden="true" />
            <span>
              <span className="policy-conditions-choice-label">{option.label}</span>
              <span className="policy-conditions-choice-description">{option.description}</span>
            </span>
          </Radio>
        ))}
      </RadioGroup>

      <fieldset
        className="policy-conditions-group"
        aria-describedby={conditionsSupported ? undefined : unsupportedId}
      >
        <legend className="policy-conditions-label">Run only when</legend>
        {!conditionsSupported && (
          <p id={unsupportedId} className="policy-conditions-unsupported" role="note">
            Browser mode cannot tell the power source or idle time: runs with these conditions go ahead.
          </p>
        )}
        <Checkbox
          className="policy-conditions-check"
          isSelected={conditions.onACPower === true}
          onChange={(on) => setConditions({ ...conditions, onACPower: on ? true : undefined })}
        >
          <CheckMark />
          On AC power (not on battery)
        </Checkbox>
        <Checkbox
          className="policy-conditions-check"
          isSelected={idleOn}
          onChange={(on) => setConditions({ ...conditions, idleForSeconds: on ? 300 : undefined })}
        >
          <CheckMark />
          The computer has been idle
        </Checkbox>
        {idleOn && (
          <NumberField
            className="policy-conditions-number"
            value={conditions.idleForSeconds ?? NaN}
            onChange={(value) =>
              setConditions({ ...conditions, idleForSeconds: Number.isNaN(value) ? 0 : value })
            }
            minValue={0}
            step={1}
            isInvalid={idleError !== undefined}
            validationBehavior="aria"
          >
            <Label>Idle for at least</Label>
            <Group className="policy-conditions-number-group">
              <Input />
              <span className="policy-conditions-unit">s</span>
            </Group>
            <FieldError className="policy-conditions-error">{idleError}</FieldError>
          </NumberField>
        )}
        <p className="policy-conditions-hint">
          A run whose conditions do not hold waits up to the grace, then is skipped, naming the condition.
        </p>
      </fieldset>
    </div>
  );
}
