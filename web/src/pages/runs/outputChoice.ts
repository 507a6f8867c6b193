// What the Outputs section previews: one file (an output, or a file in a folder output), or a
// whole folder output (shown as a gallery of its images and a list of its other files).
import { blobUrl, type TreeFile } from "../../api/blobs";
import type { StepOutput } from "../../api/pipelines";
import type { PreviewFile } from "./ArtifactPreview";

export type OutputChoice =
  | { key: string; kind: "file"; file: PreviewFile }
  | { key: string; kind: "folder"; step: string; output: StepOutput; files: TreeFile[] };

export const outputKey = (step: string, output: string, file?: string) =>
  [step, output, file].filter((x) => x !== undefined).join("/");

export const baseName = (path: string) => path.split("/").pop() ?? path;

/** A single-file output as a previewable file (tables through the tables route). */
export function outputFile(output: StepOutput, size?: number): PreviewFile {
  const table = output.type === "table";
  return {
    path: output.name,
    url: blobUrl(output.digest),
    size,
    downloadName: table ? `${output.name}.ktab` : output.name,
    tableDigest: table ? output.digest : undefined,
  };
}

/** A file inside a folder output as a previewable file. */
export function folderFile(output: StepOutput, file: TreeFile): PreviewFile {
  return {
    path: `${output.name}/${file.path}`,
    url: blobUrl(file.digest),
    size: file.size,
    downloadName: baseName(file.path),
  };
}

export const shortDigest = (digest: string) => digest.slice(0, 12);
