/**
 * PolicyConditions (issues 15 §5 and 16 §2): whenBusy and run conditions as the editor shows them.
 * What it hands back must pass main's own Policy schema; errors come from that schema, beside the
 * field; browser mode says beside the conditions that it cannot tell and will run.
 */
import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { Policy } from '../../src/shared/domain';
import {
  PolicyConditions,
  type PolicyConditionsValue,
} from '../../src/renderer/src/places/editor/PolicyConditions';

function Harness(props: {
  initial?: PolicyConditionsValue;
  supported: boolean;
  seen: PolicyConditionsValue[];
}) {
  const [policy, setPolicy] = useState<PolicyConditionsValue>(props.initial ?? {});
  return (
    <PolicyConditions
      policy={policy}
      conditionsSupported={props.supported}
      onChange={(next) => {
        props.seen.push(next);
        setPolicy(next);
      }}
    />
  );
}

const last = (seen: PolicyConditionsValue[]) => seen[seen.length - 1]!;

describe('PolicyConditions', () => {
  it('sets whenBusy from a labelled radio group, and the value passes the Policy schema', () => {
    const seen: PolicyConditionsValue[] = [];
    render(<Harness supported seen={seen} />);
    const group = screen.getByRole('radiogroup', { name: 'During busy calendar time' });
    expect(group).toBeTruthy();
    expect((screen.getByRole('radio', { name: /Run anyway/ }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: /Run after the busy time/ }));
    expect(last(seen).whenBusy).toBe('defer');
    fireEvent.click(screen.getByRole('radio', { name: /Skip/ }));
    expect(last(seen).whenBusy).toBe('skip');
    expect(Policy.parse(last(seen)).whenBusy).toBe('skip');
  });

  it('sets and clears conditions; an idle time out of range is flagged beside its field by the schema', () => {
    const seen: PolicyConditionsValue[] = [];
    render(<Harness supported seen={seen} />);
    fireEvent.click(screen.getByRole('checkbox', { name: 'On AC power (not on battery)' }));
    expect(last(seen).conditions).toEqual({ onACPower: true });
    fireEvent.click(screen.getByRole('checkbox', { name: 'The computer has been idle' }));
    expect(last(seen).conditions).toEqual({ onACPower: true, idleForSeconds: 300 });
    expect(Policy.parse(last(seen)).conditions).toEqual({ onACPower: true, idleForSeconds: 300 });

    const idle = screen.getByRole('textbox', { name: 'Idle for at least' });
    fireEvent.change(idle, { target: { value: '100000' } });
    fireEvent.blur(idle);
    expect(last(seen).conditions?.idleForSeconds).toBe(100000);
    const schemaSays = Policy.safeParse(last(seen));
    expect(schemaSays.success).toBe(false);
    expect(idle.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (idle.getAttribute('aria-describedby') ?? '').split(/\s+/);
    const error = describedBy.map((id) => document.getElementById(id)?.textContent).join(' ');
    expect(error).toContain(schemaSays.error!.issues[0]!.message);

    fireEvent.click(screen.getByRole('checkbox', { name: 'The computer has been idle' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'On AC power (not on battery)' }));
    // cleared as `{}`: a patch that left `conditions` out would keep the stored ones
    expect(last(seen).conditions).toEqual({});
    expect(screen.queryByRole('textbox', { name: 'Idle for at least' })).toBeNull();
  });

  it('says beside the conditions, where they cannot be told (browser mode), that runs go ahead', () => {
    const { unmount } = render(<Harness supported={false} seen={[]} />);
    const group = screen.getByRole('group', { name: 'Run only when' });
    const note = document.getElementById(group.getAttribute('aria-describedby')!);
    expect(note?.textContent).toMatch(/cannot tell the power source or idle time.*go ahead/);
    unmount();
    render(<Harness supported seen={[]} />);
    expect(screen.getByRole('group', { name: 'Run only when' }).getAttribute('aria-describedby')).toBeNull();
    expect(screen.queryByText(/cannot tell/)).toBeNull();
  });

  it('shows a stored policy as it is', () => {
    render(
      <Harness supported seen={[]} initial={{ whenBusy: 'defer', conditions: { idleForSeconds: 600 } }} />,
    );
    expect((screen.getByRole('radio', { name: /Run after the busy time/ }) as HTMLInputElement).checked).toBe(
      true,
    );
    expect(
      (screen.getByRole('checkbox', { name: 'On AC power (not on battery)' }) as HTMLInputElement).checked,
    ).toBe(false);
    expect((screen.getByRole('textbox', { name: 'Idle for at least' }) as HTMLInputElement).value).toBe(
      '600',
    );
  });
});
