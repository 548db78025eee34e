/**
 * A confirm that floats over its trigger (react-aria-components DialogTrigger + Popover, role
 * "alertdialog"): the layout under it does not move, Escape cancels, and focus goes back to the
 * trigger when it closes.
 */
import { useState, type ReactNode } from 'react';
import { Button, Dialog, DialogTrigger, Heading, Popover } from 'react-aria-components';
import './ConfirmPopover.css';

export interface ConfirmPopoverProps {
  /** The trigger's content and its accessible name. */
  trigger: ReactNode;
  triggerLabel: string;
  triggerClassName?: string;
  isDisabled?: boolean;
  title: string;
  confirmLabel: string;
  onConfirm(): void;
}

export function ConfirmPopover(props: ConfirmPopoverProps) {
  const [open, setOpen] = useState(false);
  return (
    <DialogTrigger isOpen={open} onOpenChange={setOpen}>
      <Button
        className={props.triggerClassName}
        aria-label={props.triggerLabel}
        isDisabled={props.isDisabled}
      >
        {props.trigger}
      </Button>
      <Popover className="confirm-popover" placement="bottom end" offset={6}>
        <Dialog role="alertdialog" className="confirm-popover-dialog">
          <Heading slot="title" className="confirm-popover-title">
            {props.title}
          </Heading>
          <div className="confirm-popover-actions">
            <Button className="button small ghost" onPress={() => setOpen(false)} autoFocus>
              Cancel
            </Button>
            <Button
              className="button small danger"
              onPress={() => {
                setOpen(false);
                props.onConfirm();
              }}
            >
              {props.confirmLabel}
            </Button>
          </div>
        </Dialog>
      </Popover>
    </DialogTrigger>
  );
}
