// Page-token pagination for a list page: loads one page at a time and keeps the tokens of
// the pages before, so "previous" and "next" never fetch the whole list.
import { useState } from "react";
import { useApi } from "../../api/useApi";
import type { Page } from "../../api/pipelines";

export function usePages<T>(fetchPage: (token?: string) => Promise<Page<T>>, deps: unknown[], pollMs?: number) {
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const token = tokens[tokens.length - 1];
  const loaded = useApi(() => fetchPage(token), [token, ...deps], pollMs);
  const next = loaded.data?.next_page_token;
  return {
    ...loaded,
    pageNumber: tokens.length,
    hasNext: !!next,
    hasPrevious: tokens.length > 1,
    goNext: () => next && setTokens((t) => [...t, next]),
    goPrevious: () => setTokens((t) => (t.length > 1 ? t.slice(0, -1) : t)),
  };
}

export function Pager(props: { pageNumber: number; hasNext: boolean; hasPrevious: boolean; goNext: () => void; goPrevious: () => void }) {
  if (!props.hasNext && !props.hasPrevious) return null;
  return (
    <div className="toolbar">
      <button onClick={props.goPrevious} disabled={!props.hasPrevious} data-testid="page-previous">
        ‹ Previous
      </button>
      <span className="muted">page {props.pageNumber}</span>
      <button onClick={props.goNext} disabled={!props.hasNext} data-testid="page-next">
        Next ›
      </button>
    </div>
  );
}
