/** An on/off switch with its label (react-aria Switch: a real checkbox with role="switch"). */
import type { ReactNode } from 'react';
import { Switch as AriaSwitch } from 'react-aria-components';
import './ui.css';

export interface SwitchProps {
  isSelected: boolean;
  onChange(value: boolean): void;
  children: ReactNode;
  isDisabled?: boolean;
  path?: string;
}

export function Switch({ isSelected, onChange, children, isDisabled, path }: SwitchProps) {
  return (
    <AriaSwitch
      isSelected={isSelected}
      onChange={onChange}
      isDisabled={isDisabled}
      className="ui-switch"
      data-path={path}
    >
      <span className="ui-switch-track" aria-hidden="true">
        <span className="ui-switch-thumb" />
      </span>
      <span className="ui-switch-label">{children}</span>
    </AriaSwitch>
  );
}
