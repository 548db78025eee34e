/** The one button: react-aria's (press events that work alike for mouse, touch and keyboard). */
import { Button as AriaButton, type ButtonProps as AriaButtonProps } from 'react-aria-components';
import './ui.css';

export interface ButtonProps extends Omit<AriaButtonProps, 'className'> {
  variant?: 'primary' | 'ghost' | 'danger' | 'plain';
  size?: 'small';
  className?: string;
}

export function Button({ variant = 'plain', size, className, ...props }: ButtonProps) {
  const classes = ['button', variant === 'plain' ? '' : variant, size ?? '', className ?? '']
    .filter(Boolean)
    .join(' ');
  return <AriaButton {...props} className={classes} />;
}
