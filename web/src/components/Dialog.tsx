// A modal dialog for the models, deployments and datasets areas: a titled panel over a dimmed
// page; Escape or the backdrop closes it.
import { useEffect, type ReactNode } from "react";
import "./dialog.css";

export function Dialog({
  title,
  onClose,
  children,
  testId,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="km-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="km-dialog" role="dialog" aria-label={title} data-testid={testId}>
        <div className="km-dialog-head">
          <h2>{title}</h2>
          <button className="link" onClick={onClose} aria-label="close">
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}

/** A yes/no question before a change (moving or deleting an alias, undeploying). */
export function ConfirmDialog({
  title,
  question,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  title: string;
  question: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  error?: ReactNode;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog title={title} onClose={onClose} testId="confirm-dialog">
      <p data-testid="confirm-question">{question}</p>
      {error}
      <div className="km-actions">
        <button onClick={onClose}>Cancel</button>
        <button className="primary" disabled={busy} onClick={onConfirm} data-testid="confirm-yes">
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
