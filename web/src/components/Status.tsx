// Small shared pieces every page uses to show loading, errors and empty states.
import type { ReactNode } from "react";

/** Shows an error from the server (its message names the field or value) or the network. */
export function ErrorBanner({ error, onClose }: { error: unknown; onClose?: () => void }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <span>{message}</span>
      {onClose && (
        <button className="link" onClick={onClose} aria-label="dismiss">
          ×
        </button>
      )}
    </div>
  );
}

export function Loading({ what }: { what?: string }) {
  return <div className="muted">Loading{what ? ` ${what}` : ""}…</div>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty muted">{children}</div>;
}

/** A run, step or deployment state as a coloured badge. */
export function StateBadge({ state }: { state: string }) {
  return (
    <span className={`badge state-${state.toLowerCase()}`} data-testid="state-badge">
      {state}
    </span>
  );
}
