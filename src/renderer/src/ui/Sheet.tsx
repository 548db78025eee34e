/** A modal side panel: focus is trapped inside, Escape closes, focus returns where it came from. */
import type { ReactNode } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import './ui.css';

export interface SheetProps {
  title: ReactNode;
  onClose(): void;
  children: ReactNode;
  /** Escape and a click outside close it unless this says no (e.g. while saving). */
  dismissable?: boolean;
  className?: string;
}

export function Sheet({ title, onClose, children, dismissable = true, className }: SheetProps) {
  return (
    <ModalOverlay
      isOpen
      isDismissable={dismissable}
      isKeyboardDismissDisabled={!dismissable}
      onOpenChange={(open) => (open ? undefined : onClose())}
      className="ui-sheet-overlay"
    >
      <Modal className={`ui-sheet${className ? ` ${className}` : ''}`}>
        <Dialog className="ui-sheet-dialog">
          <Heading slot="title" className="ui-sheet-title">
            {title}
          </Heading>
          {children}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
