/**
 * A button that opens a small non-modal popover of details and actions (react-aria-components:
 * focus moves in, Escape closes, focus returns to the button).
 */
import type { ReactNode } from 'react';
import { Button, Dialog, DialogTrigger, Popover } from 'react-aria-components';
import './DetailsPopover.css';

interface DetailsPopoverProps {
  /** The button's accessible name. */
  label: string;
  className?: string;
  /** What the button shows. */
  children: ReactNode;
  /** The popover's content; `close` dismisses it. */
  details: (close: () => void) => ReactNode;
  title: string;
}

export function DetailsPopover({ label, className, children, details, title }: DetailsPopoverProps) {
  return (
    <DialogTrigger>
      <Button aria-label={label} className={className}>
        {children}
      </Button>
      <Popover className="ui-popover" placement="bottom start" offset={4}>
        <Dialog className="ui-popover-dialog" aria-label={title}>
          {({ close }) => details(close)}
        </Dialog>
      </Popover>
    </DialogTrigger>
  );
}
