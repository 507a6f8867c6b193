import { useCallback, useEffect, useRef, useState } from "react";

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

interface Settled<T> {
  data?: T;
  error?: Error;
  /** The loader whose answer this is: another one means the deps changed since. */
  loadedBy?: () => Promise<T>;
  /** A reload() asked for by the page is on its way. */
  reloading: boolean;
}

/**
 * Loads `fetcher()` when `deps` change, and again every `pollMs` when given (while the page
 * is open). Keeps the last good data while reloading; the latest call wins. `loading` is true
 * until the answer for the current deps (or for a `reload()`) has arrived.
 */
export function useApi<T>(fetcher: () => Promise<T>, deps: unknown[], pollMs?: number): Loaded<T> {
  const [settled, setSettled] = useState<Settled<T>>({ reloading: false });
  const generation = useRef(0);
  // Like useEffect, the caller lists what the fetcher depends on (checked at the call sites:
  // eslint.config.js names useApi in exhaustive-deps' additionalHooks).
  // eslint-disable-next-line react-hooks/use-memo, react-hooks/exhaustive-deps
  const load = useCallback(fetcher, deps);

  // Sets state only when the answer arrives, never synchronously in the effect.
  const fetchNow = useCallback(() => {
    const mine = ++generation.current;
    load().then(
      (data) => mine === generation.current && setSettled({ data, loadedBy: load, reloading: false }),
      (error: Error) =>
        mine === generation.current && setSettled((s) => ({ ...s, error, loadedBy: load, reloading: false })),
    );
  }, [load]);

  const reload = useCallback(() => {
    setSettled((s) => ({ ...s, reloading: true }));
    fetchNow();
  }, [fetchNow]);

  useEffect(() => {
    fetchNow();
    if (!pollMs) return;
    const timer = setInterval(fetchNow, pollMs);
    return () => clearInterval(timer);
  }, [fetchNow, pollMs]);

  const loading = settled.reloading || settled.loadedBy !== load;
  return { data: settled.data, error: settled.error, loading, reload };
}
