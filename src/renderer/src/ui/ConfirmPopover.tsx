/**
 * A confirm that floats by its trigger (react-aria-components Popover with a Dialog of role
 * "alertdialog"): the layout under it does not move, Escape cancels, and focus goes back to the
 * trigger when it closes. One instance serves a whole list: the row's own button stays a plain
 * button, and the popover anchors to whichever asked.
 */
import type { RefObject } from 'react';
import { Button, Dialog, Heading, Popover } from 'react-aria-components';
import './ConfirmPopover.css';

export interface ConfirmPopoverProps {
  triggerRef: RefObject<Element | null>;
  isOpen: boolean;
  onCancel(): void;
  title: string;
  confirmLabel: string;
  onConfirm(): void;
}

export function ConfirmPopover(props: ConfirmPopoverProps) {
  return (
    <Popover
      className="confirm-popover"
      triggerRef={props.triggerRef}
      isOpen={props.isOpen}
      onOpenChange={(open) => {
        if (!open) props.onCancel();
      }}
      placement="bottom end"
      offset={6}
    >
      <Dialog role="alertdialog" className="confirm-popover-dialog">
        <Heading slot="title" className="confirm-popover-title">
          {props.title}
        </Heading>
        <div className="confirm-popover-actions">
          <Button className="button small ghost" onPress={props.onCancel} autoFocus>
            Cancel
          </Button>
          <Button className="button small danger" onPress={props.onConfirm}>
            {props.confirmLabel}
          </Button>
        </div>
      </Dialog>
    </Popover>
  );
}
