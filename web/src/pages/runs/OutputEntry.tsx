// One output of a pipeline step in the Outputs list: type, name, short digest and size, a
// download link for a file, and for a folder a toggle that lists its files.
import { useState } from "react";
import { blobUrl, getTree, type TreeFile } from "../../api/blobs";
import type { StepOutput } from "../../api/pipelines";
import { useApi } from "../../api/useApi";
import { ErrorBanner } from "../../components/Status";
import { formatBytes } from "../../components/format";
import { baseName, folderFile, type OutputChoice, outputFile, outputKey, shortDigest } from "./outputChoice";

interface Props {
  step: string;
  output: StepOutput;
  chosenKey?: string;
  onChoose: (choice: OutputChoice) => void;
}

export function OutputEntry(props: Props) {
  return props.output.folder ? <FolderOutput {...props} /> : <FileOutput {...props} />;
}

function FileOutput({ step, output, chosenKey, onChoose }: Props) {
  const key = outputKey(step, output.name);
  const file = outputFile(output, output.size);
  return (
    <li
      className={chosenKey === key ? "active" : ""}
      data-testid="output-entry"
      data-step={step}
      data-output={output.name}
    >
      <span className="toggle-space" />
      <Head output={output} onOpen={() => onChoose({ key, kind: "file", file })} size={output.size} />
      <a href={file.url} download={file.downloadName} title="download" data-testid="output-download">
        ⬇
      </a>
    </li>
  );
}

function FolderOutput({ step, output, chosenKey, onChoose }: Props) {
  const [open, setOpen] = useState(false);
  const tree = useApi(() => getTree(output.digest), [output.digest]);
  const files = tree.data ?? [];
  const key = outputKey(step, output.name);
  const total = tree.data ? files.reduce((sum, f) => sum + f.size, 0) : undefined;
  return (
    <>
      <li
        className={chosenKey === key ? "active" : ""}
        data-testid="output-entry"
        data-step={step}
        data-output={output.name}
      >
        <button
          className="link toggle"
          onClick={() => setOpen(!open)}
          data-testid="output-toggle"
          aria-expanded={open}
          title={open ? "hide its files" : "list its files"}
        >
          {open ? "▾" : "▸"}
        </button>
        <Head
          output={output}
          size={total}
          folderCount={tree.data?.length}
          onOpen={() => onChoose({ key, kind: "folder", step, output, files })}
        />
      </li>
      {tree.error && (
        <li>
          <ErrorBanner error={tree.error} />
        </li>
      )}
      {open &&
        files.map((f) => (
          <TreeFileEntry
            key={f.path}
            fileKey={outputKey(step, output.name, f.path)}
            file={f}
            chosenKey={chosenKey}
            onOpen={(k) => onChoose({ key: k, kind: "file", file: folderFile(output, f) })}
          />
        ))}
    </>
  );
}

interface HeadProps {
  output: StepOutput;
  size?: number;
  folderCount?: number;
  onOpen: () => void;
}

function Head({ output, size, folderCount, onOpen }: HeadProps) {
  return (
    <>
      <span className={output.folder ? "entry-kind dir" : "entry-kind"} title={output.folder ? "a folder" : "a file"}>
        {output.type}
      </span>
      <button className="link name" onClick={onOpen} data-testid="output-open">
        {output.name}
        {output.folder ? "/" : ""}
      </button>
      <span className="mono muted digest" title={output.digest}>
        {shortDigest(output.digest)}
      </span>
      <span className="muted size">
        {formatBytes(size)}
        {folderCount !== undefined && ` · ${folderCount} files`}
      </span>
    </>
  );
}

interface FileEntryProps {
  fileKey: string;
  file: TreeFile;
  chosenKey?: string;
  onOpen: (key: string) => void;
}

function TreeFileEntry({ fileKey, file, chosenKey, onOpen }: FileEntryProps) {
  return (
    <li className={`nested ${chosenKey === fileKey ? "active" : ""}`} data-testid="output-file" data-path={file.path}>
      <span className="entry-kind">file</span>
      <button className="link name" onClick={() => onOpen(fileKey)} data-testid="output-file-open">
        {file.path}
      </button>
      <span className="mono muted digest" title={file.digest}>
        {shortDigest(file.digest)}
      </span>
      <span className="muted size">{formatBytes(file.size)}</span>
      <a href={blobUrl(file.digest)} download={baseName(file.path)} title="download" data-testid="output-file-download">
        ⬇
      </a>
    </li>
  );
}
