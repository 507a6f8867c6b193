// Reading the start of an artifact (never the whole of a big file) and parsing CSV/TSV text.
import { ApiError } from "../../api/client";

export const PREVIEW_BYTES = 200 * 1024;

export type PreviewKind = "image" | "text" | "table" | "none";

const IMAGE = ["png", "jpg", "jpeg", "gif", "svg", "webp"];
const TEXT = ["txt", "log", "json", "yaml", "yml", "md", "py", "sh", "cfg", "ini", "toml", "xml", "html", "js", "ts", "out", "err", "jsonl"];
const TABLE = ["csv", "tsv"];

export function previewKind(path: string): PreviewKind {
  const name = path.split("/").pop() ?? "";
  const ext = name.includes(".") ? name.split(".").pop()!.toLowerCase() : "";
  if (IMAGE.includes(ext)) return "image";
  if (TABLE.includes(ext)) return "table";
  if (TEXT.includes(ext) || ext === "" || name === "MLmodel") return "text";
  return "none";
}

/** The first `limit` bytes of a URL as text, and whether the file was longer. */
export async function readPrefix(url: string, limit = PREVIEW_BYTES): Promise<{ text: string; truncated: boolean }> {
  const response = await fetch(url);
  if (!response.ok) {
    const body = await response.text();
    let message = body;
    try {
      message = (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      /* not JSON: keep the text */
    }
    throw new ApiError(response.status, "", message || response.statusText);
  }
  const reader = response.body?.getReader();
  if (!reader) return { text: "", truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= limit) {
      truncated = true;
      await reader.cancel();
      break;
    }
  }
  const bytes = new Uint8Array(Math.min(size, limit));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, Math.max(0, bytes.length - offset));
    bytes.set(part, offset);
    offset += part.length;
  }
  return { text: new TextDecoder().decode(bytes), truncated };
}

/** Parses delimited text (quotes doubled inside quoted fields) into at most `maxRows` rows. */
export function parseDelimited(text: string, delimiter: string, maxRows: number): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length && rows.length < maxRows; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === delimiter) row.push(field), (field = "");
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      (row = []), (field = "");
    } else field += ch;
  }
  if ((field || row.length) && rows.length < maxRows) rows.push([...row, field]);
  return rows;
}
