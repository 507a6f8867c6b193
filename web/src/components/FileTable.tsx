// The files of a stored folder (a folder dataset version, a published module): path, size,
// digest and whether it is executable.
import type { TreeFile } from "../api/blobs";
import { DataTable, type Column } from "./DataTable";
import { formatBytes } from "./format";

const columns: Column<TreeFile>[] = [
  { header: "Path", cell: (f) => f.path, className: "mono" },
  { header: "Size", cell: (f) => formatBytes(f.size), num: true },
  { header: "SHA-256", cell: (f) => f.digest.slice(0, 12), className: "mono" },
  { header: "Executable", cell: (f) => (f.executable ? "yes" : "") },
];

export function FileTable({ files, testId }: { files: TreeFile[]; testId?: string }) {
  return <DataTable rows={files} columns={columns} rowKey={(f) => f.path} testId={testId} />;
}
