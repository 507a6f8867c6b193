// Aliases shown as chips, each optionally with a delete button.
import "./models.css";

export function AliasChips({ aliases, onDelete }: { aliases: string[]; onDelete?: (alias: string) => void }) {
  return (
    <>
      {aliases.map((a) => (
        <span key={a} className="km-chip" data-testid="alias-chip">
          @{a}
          {onDelete && (
            <button onClick={() => onDelete(a)} aria-label={`delete alias ${a}`} data-testid="alias-delete">
              ×
            </button>
          )}
        </span>
      ))}
    </>
  );
}
