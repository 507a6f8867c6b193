// Follows a deployment's request log: polls GET /api/v1/deployments/NAME/requests for what
// came since the newest request seen, and keeps the last `windowMs` of requests.
import { useCallback, useEffect, useRef, useState } from "react";
import { listRequests, type LoggedRequest } from "../../api/deployments";

export interface RequestLog {
  requests: LoggedRequest[];
  error: Error | undefined;
  refresh: () => void;
}

export function useRequestLog(name: string, windowMs: number, pollMs = 3000): RequestLog {
  const [requests, setRequests] = useState<LoggedRequest[]>([]);
  const [error, setError] = useState<Error>();
  const seen = useRef<{ name: string; since: number; ids: Set<string> }>({ name, since: 0, ids: new Set() });

  const refresh = useCallback(() => {
    const state = seen.current;
    if (state.name !== name) seen.current = { name, since: 0, ids: new Set() };
    const since = seen.current.since || Date.now() - windowMs;
    listRequests(name, since, 2000).then(
      (fresh) => {
        const mine = seen.current;
        if (mine.name !== name) return;
        const added = fresh.filter((r) => !mine.ids.has(r.request_id));
        added.forEach((r) => mine.ids.add(r.request_id));
        if (fresh.length) mine.since = fresh[fresh.length - 1].time_ms;
        setError(undefined);
        setRequests((old) => {
          const cutoff = Date.now() - windowMs;
          const kept = [...old.filter((r) => r.time_ms >= cutoff), ...added];
          mine.ids = new Set(kept.map((r) => r.request_id));
          return kept;
        });
      },
      (e: Error) => setError(e),
    );
  }, [name, windowMs]);

  useEffect(() => {
    setRequests([]);
    refresh();
    const timer = setInterval(refresh, pollMs);
    return () => clearInterval(timer);
  }, [refresh, pollMs]);

  return { requests, error, refresh };
}
