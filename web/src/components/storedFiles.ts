// Reading stored files for previews: the start of a text (never the whole of a big file), the
// bytes of an image with its MIME type, and parsing CSV/TSV text. Serves run artifacts and
// pipeline step outputs alike (both are plain URLs).
import { ApiError } from "../api/client";

export const PREVIEW_BYTES = 200 * 1024;

export type PreviewKind = "image" | "text" | "table" | "none";

const IMAGE = ["png", "jpg", "jpeg", "gif", "svg", "webp"];
const TEXT = [
  "txt",
  "log",
  "json",
  "yaml",
  "yml",
  "md",
  "py",
  "sh",
  "cfg",
  "ini",
  "toml",
  "xml",
  "html",
  "js",
  "ts",
  "out",
  "err",
  "jsonl",
];
const TABLE = ["csv", "tsv"];

const MIME: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  svg: "image/svg+xml",
  webp: "image/webp",
};

/** The lower-case extension of a path's file name ("" when it has none). */
export function extensionOf(path: string): string {
  const name = path.split("/").pop() ?? "";
  return name.includes(".") ? name.split(".").pop()!.toLowerCase() : "";
}

/** The MIME type an image is shown with (the blob route answers application/octet-stream). */
export const imageMime = (path: string) => MIME[extensionOf(path)] ?? "application/octet-stream";

export function previewKind(path: string): PreviewKind {
  const name = path.split("/").pop() ?? "";
  const ext = extensionOf(path);
  if (IMAGE.includes(ext)) return "image";
  if (TABLE.includes(ext)) return "table";
  if (TEXT.includes(ext) || ext === "" || name === "MLmodel") return "text";
  return "none";
}

/** Fetches a URL; a failed answer becomes an ApiError carrying the server's message. */
async function fetchOk(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new ApiError(0, "NETWORK", `cannot reach the Kiln server: ${(e as Error).message}`);
  }
  if (response.ok) return response;
  const body = await response.text();
  let message = body;
  try {
    message = (JSON.parse(body) as { message?: string }).message ?? body;
  } catch {
    /* not JSON: keep the text */
  }
  throw new ApiError(response.status, "", message || response.statusText);
}

/**
 * The image type of a file's first bytes (PNG, JPEG, GIF, WebP, SVG), for files whose name
 * has no extension (a step's `plot` output is stored under the output's name).
 */
export function sniffImageMime(bytes: Uint8Array): string | undefined {
  const starts = (...b: number[]) => b.every((x, i) => bytes[i] === x);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.subarray(8, 12)) === "WEBP") return "image/webp";
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)) return "image/svg+xml";
  return undefined;
}

/**
 * The whole file at a URL as a Blob of the given MIME type (for images); an unknown type
 * (application/octet-stream) is told from the bytes when they are a picture.
 */
export async function readBlob(url: string, mime: string): Promise<Blob> {
  const bytes = await (await fetchOk(url)).arrayBuffer();
  const type = mime === "application/octet-stream" ? (sniffImageMime(new Uint8Array(bytes)) ?? mime) : mime;
  return new Blob([bytes], { type });
}

/** The first `limit` bytes of a URL as text, and whether the file was longer. */
export async function readPrefix(url: string, limit = PREVIEW_BYTES): Promise<{ text: string; truncated: boolean }> {
  const response = await fetchOk(url);
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
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if ((field || row.length) && rows.length < maxRows) rows.push([...row, field]);
  return rows;
}

/** JSON indented by two spaces, except that an array of plain values stays on one line. */
export function formatJson(value: unknown, indent = ""): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every((v) => v === null || typeof v !== "object"))
      return `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
    return `[\n${value.map((v) => inner + formatJson(v, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`).join(",\n")}\n${indent}}`;
}
