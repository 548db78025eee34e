/**
 * A modal dialog with a title, a body and a close button (react-aria-components: focus is trapped
 * inside and returns to the opener, Escape closes, the title names the dialog for screen readers).
 */
import type { ReactNode } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import './ModalSheet.css';

interface ModalSheetProps {
  title: string;
  isOpen: boolean;
  onOpenChange(open: boolean): void;
  /** Escape and a click outside close it, unless work is in progress. */
  isDismissable?: boolean;
  wide?: boolean;
  children: ReactNode;
  /** Role "alertdialog" for a confirmation. */
  role?: 'dialog' | 'alertdialog';
}

export function ModalSheet({
  title,
  isOpen,
  onOpenChange,
  isDismissable = true,
  wide,
  children,
  role,
}: ModalSheetProps) {
  return (
    <ModalOverlay
      className="ui-sheet-overlay"
      isOpen={isOpen}
      onOpenChange={onOpenChange}
      isDismissable={isDismissable}
      isKeyboardDismissDisabled={!isDismissable}
    >
      <Modal className={`ui-sheet${wide ? ' ui-sheet-wide' : ''}`}>
        <Dialog className="ui-sheet-dialog" role={role}>
          <div className="ui-sheet-head">
            <Heading slot="title" className="ui-sheet-title">
              {title}
            </Heading>
            <button
              type="button"
              className="button small ghost icon"
              aria-label="Close"
              onClick={() => onOpenChange(false)}
              disabled={!isDismissable}
            >
              ×
            </button>
          </div>
          {children}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
