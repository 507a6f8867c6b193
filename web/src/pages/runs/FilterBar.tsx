// The run table's filter box (MLflow filter syntax, checked by the server) and the
// "top-level runs only" toggle that hides pipeline steps' child runs.
import { useState } from "react";
import { Toggle } from "../../components/Toggle";
import { checkFilter } from "./runTableState";

interface Props {
  filter: string;
  topLevelOnly: boolean;
  onApply: (filter: string) => void;
  onTopLevel: (topLevelOnly: boolean) => void;
}

export function FilterBar({ filter, topLevelOnly, onApply, onTopLevel }: Props) {
  const [text, setText] = useState(filter);
  const [problem, setProblem] = useState<string>();
  // A filter applied elsewhere (the URL, a link) replaces what was typed.
  const [applied, setApplied] = useState(filter);
  if (applied !== filter) {
    setApplied(filter);
    setText(filter);
  }

  const apply = () => {
    const issue = checkFilter(text);
    setProblem(issue);
    if (!issue) onApply(text.trim());
  };
  return (
    <form
      className="filter-bar"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <div className="toolbar">
        <input
          data-testid="run-filter"
          className={problem ? "invalid filter-input" : "filter-input"}
          placeholder="metrics.accuracy > 0.9 AND params.max_depth = '3'"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="filter"
        />
        <button type="submit" className="primary" data-testid="run-filter-apply">
          Filter
        </button>
        {filter && (
          <button type="button" onClick={() => onApply("")} data-testid="run-filter-clear">
            Clear
          </button>
        )}
        <Toggle checked={topLevelOnly} onChange={onTopLevel} testId="top-level-only">
          Top-level runs only (hide pipeline steps)
        </Toggle>
      </div>
      {problem && (
        <div className="field-error" data-testid="run-filter-error">
          {problem}
        </div>
      )}
    </form>
  );
}
