// The selection's Compare button: enabled for 2 to 50 selected runs, with a hint otherwise.
import { useNavigate } from "react-router-dom";
import { MAX_COMPARE, MIN_COMPARE } from "./compareData";

export function CompareBar({ selected, onClear }: { selected: Set<string>; onClear: () => void }) {
  const navigate = useNavigate();
  const n = selected.size;
  const ok = n >= MIN_COMPARE && n <= MAX_COMPARE;
  const hint = ok
    ? `${n} runs selected`
    : n > MAX_COMPARE
      ? `${n} selected: compare at most ${MAX_COMPARE}`
      : `select ${MIN_COMPARE} to ${MAX_COMPARE} runs to compare (${n} selected)`;
  return (
    <div className="toolbar compare-bar">
      <span className="muted" data-testid="compare-hint">
        {hint}
      </span>
      {n > 0 && (
        <button className="link" onClick={onClear}>
          clear
        </button>
      )}
      <button
        className="primary"
        data-testid="compare-button"
        disabled={!ok}
        onClick={() => navigate(`/compare?runs=${[...selected].join(",")}`)}
      >
        Compare
      </button>
    </div>
  );
}
