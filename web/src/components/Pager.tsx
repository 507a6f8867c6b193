// Page-token pagination for every paged list (max_results/page_token): remembers the tokens
// of the pages seen so Previous can go back without fetching the whole list, and starts again
// at the first page whenever the query (`queryKey`) changes.
import { useCallback, useState } from "react";

export interface PageTokens {
  token: string | undefined; // the page to show (undefined: the first)
  index: number;
  next: (token: string) => void;
  prev: () => void;
}

export function usePageTokens(queryKey = ""): PageTokens {
  const [state, setState] = useState<{ key: string; stack: (string | undefined)[] }>({
    key: queryKey,
    stack: [undefined],
  });
  const stack = state.key === queryKey ? state.stack : [undefined];
  const next = useCallback(
    (token: string) =>
      setState((s) => ({ key: queryKey, stack: s.key === queryKey ? [...s.stack, token] : [undefined, token] })),
    [queryKey],
  );
  const prev = useCallback(
    () =>
      setState((s) => ({
        key: queryKey,
        stack: s.key === queryKey && s.stack.length > 1 ? s.stack.slice(0, -1) : [undefined],
      })),
    [queryKey],
  );
  return { token: stack[stack.length - 1], index: stack.length - 1, next, prev };
}

export function Pager({ pages, nextToken }: { pages: PageTokens; nextToken?: string }) {
  if (pages.index === 0 && !nextToken) return null;
  return (
    <div className="toolbar pager">
      <button data-testid="page-prev" disabled={pages.index === 0} onClick={pages.prev}>
        ‹ Previous
      </button>
      <span className="muted" data-testid="page-number">
        page {pages.index + 1}
      </span>
      <button data-testid="page-next" disabled={!nextToken} onClick={() => nextToken && pages.next(nextToken)}>
        Next ›
      </button>
    </div>
  );
}
