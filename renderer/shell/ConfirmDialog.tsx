import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** When set, the user must type this word before the action is allowed (for what cannot be undone). */
  typedConfirmation?: string;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * A modal question before a destructive action. A native <dialog> opened with showModal(): focus moves into it and
 * stays there, Escape cancels, and Cancel has the focus first so Enter never destroys by accident.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  typedConfirmation,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  const titleId = useId();
  const allowed = typedConfirmation === undefined || typed === typedConfirmation;

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (allowed) onConfirm();
  };

  return (
    <dialog ref={dialog} className="confirm-dialog" aria-labelledby={titleId} onCancel={onCancel}>
      <form method="dialog" onSubmit={submit}>
        <h2 id={titleId}>{title}</h2>
        <div className="confirm-dialog-body">{children}</div>
        {typedConfirmation !== undefined ? (
          <label className="field">
            <span>
              Type <strong>{typedConfirmation}</strong> to confirm
            </span>
            <input
              type="text"
              value={typed}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => setTyped(event.target.value)}
            />
          </label>
        ) : null}
        <div className="confirm-dialog-actions">
          <button type="button" className="button" autoFocus onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button danger" disabled={!allowed}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
