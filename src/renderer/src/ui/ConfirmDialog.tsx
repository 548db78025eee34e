/** "Are you sure?": a modal alert dialog whose confirm button says what it will do. Escape cancels. */
import type { ReactNode } from 'react';
import { ModalSheet } from './ModalSheet';

interface ConfirmDialogProps {
  title: string;
  isOpen: boolean;
  confirmLabel: string;
  pending?: boolean;
  danger?: boolean;
  onConfirm(): void;
  onCancel(): void;
  children: ReactNode;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const { title, isOpen, confirmLabel, pending, danger, onConfirm, onCancel, children } = props;
  return (
    <ModalSheet
      title={title}
      isOpen={isOpen}
      role="alertdialog"
      isDismissable={!pending}
      onOpenChange={(open) => {
        if (!open) onCancel();
      }}
    >
      <div className="ui-confirm-body">{children}</div>
      <div className="form-actions">
        <button
          type="button"
          className={`button small ${danger ? 'danger' : 'primary'}`}
          onClick={onConfirm}
          disabled={pending}
          aria-busy={pending || undefined}
        >
          {confirmLabel}
        </button>
        <button type="button" className="button small ghost" onClick={onCancel} disabled={pending} autoFocus>
          Cancel
        </button>
      </div>
    </ModalSheet>
  );
}
