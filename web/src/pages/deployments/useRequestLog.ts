// Follows a deployment's request log: polls GET /api/v1/deployments/NAME/requests for what
// came since the newest request seen, and keeps the last `windowMs` of requests.
import { useCallback, useEffect, useRef, useState } from "react";
import { listRequests, type LoggedRequest } from "../../api/deployments";

export interface RequestLog {
  requests: LoggedRequest[];
  /** When the requests were last read (ms since the epoch; 0 before the first answer). */
  asOf: number;
  error: Error | undefined;
  refresh: () => void;
}

interface Held {
  key: string; // the deployment and window the requests belong to
  requests: LoggedRequest[];
  asOf: number;
}

export function useRequestLog(name: string, windowMs: number, pollMs = 3000): RequestLog {
  const key = `${name}\n${windowMs}`;
  const [held, setHeld] = useState<Held>({ key, requests: [], asOf: 0 });
  const [error, setError] = useState<Error>();
  const seen = useRef<{ key: string; since: number; ids: Set<string> }>({ key, since: 0, ids: new Set() });

  const refresh = useCallback(() => {
    if (seen.current.key !== key) seen.current = { key, since: 0, ids: new Set() };
    const since = seen.current.since || Date.now() - windowMs;
    listRequests(name, since, 2000).then(
      (fresh) => {
        const mine = seen.current;
        if (mine.key !== key) return;
        const added = fresh.filter((r) => !mine.ids.has(r.request_id));
        added.forEach((r) => mine.ids.add(r.request_id));
        if (fresh.length) mine.since = fresh[fresh.length - 1].time_ms;
        setError(undefined);
        const asOf = Date.now();
        setHeld((old) => {
          const cutoff = asOf - windowMs;
          const kept = [...(old.key === key ? old.requests : []).filter((r) => r.time_ms >= cutoff), ...added];
          mine.ids = new Set(kept.map((r) => r.request_id));
          return { key, requests: kept, asOf };
        });
      },
      (e: Error) => setError(e),
    );
  }, [key, name, windowMs]);

  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, pollMs);
    return () => clearInterval(timer);
  }, [refresh, pollMs]);

  // Another deployment's (or window's) requests are never shown, not even for a moment.
  const current = held.key === key ? held : { requests: [], asOf: 0 };
  return { requests: current.requests, asOf: current.asOf, error, refresh };
}
