// The one way the UI talks to `kiln server`: JSON over its documented routes. Every failure
// becomes an ApiError whose message is the server's own (a 4xx names the field or value), so
// pages can show it to the user instead of failing silently.

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Query = Record<string, string | number | boolean | undefined | null | string[]>;

/** Builds `path?query`, skipping empty values and repeating array values. */
export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, v));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error_code?: string; message?: string };
    return new ApiError(response.status, body.error_code ?? "", body.message ?? text);
  } catch {
    return new ApiError(response.status, "", text || response.statusText);
  }
}

/** Sends a request; resolves to the parsed JSON answer, rejects with an ApiError. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? undefined : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, "NETWORK", `cannot reach the Kiln server: ${(e as Error).message}`);
  }
  if (!response.ok) throw await errorOf(response);
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as T;
}

/** Fetches a text body (logs, artifacts, YAML). */
export async function requestText(path: string): Promise<string> {
  const response = await fetch(path);
  if (!response.ok) throw await errorOf(response);
  return response.text();
}

export const get = <T>(path: string, query?: Query) => request<T>("GET", withQuery(path, query));
export const post = <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {});
export const put = <T>(path: string, body?: unknown) => request<T>("PUT", path, body ?? {});
export const del = <T>(path: string) => request<T>("DELETE", path);
