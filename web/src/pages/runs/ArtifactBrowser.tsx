// Browses a run's artifact tree one folder at a time (MLflow artifacts/list), with download
// links and a preview of the chosen file.
import { useState } from "react";
import { artifactUrl, type ArtifactFile, listArtifacts, type RunInfo } from "../../api/runs";
import { useApi } from "../../api/useApi";
import { Empty, ErrorBanner, Loading } from "../../components/Status";
import { formatBytes } from "../../components/format";
import { ArtifactPreview } from "./ArtifactPreview";

export function ArtifactBrowser({ run }: { run: RunInfo }) {
  const [folder, setFolder] = useState("");
  const [chosen, setChosen] = useState<ArtifactFile>();
  const files = useApi(() => listArtifacts(run.run_id, folder), [run.run_id, folder]);
  const open = (path: string) => {
    setFolder(path);
    setChosen(undefined);
  };
  const chosenUrl = chosen && artifactUrl(run, chosen.path);
  const preview = chosen &&
    chosenUrl && { path: chosen.path, url: chosenUrl, size: chosen.file_size, downloadName: baseName(chosen.path) };
  return (
    <section className="panel" data-testid="artifacts">
      <h2>Artifacts</h2>
      <Crumbs folder={folder} onOpen={open} />
      <ErrorBanner error={files.error} />
      <div className="artifact-browser">
        <div>
          {files.loading && !files.data && <Loading what="artifacts" />}
          {files.data?.length === 0 && <Empty>No artifacts here.</Empty>}
          <ul className="artifact-list">
            {sorted(files.data ?? []).map((f) => (
              <ArtifactEntry
                key={f.path}
                file={f}
                url={artifactUrl(run, f.path)}
                active={chosen?.path === f.path}
                onOpen={() => (f.is_dir ? open(f.path) : setChosen(f))}
              />
            ))}
          </ul>
        </div>
        <div>
          {preview && <ArtifactPreview file={preview} />}
          {!chosen && files.data && files.data.length > 0 && <p className="muted">Pick a file to preview it.</p>}
        </div>
      </div>
    </section>
  );
}

const baseName = (path: string) => path.split("/").pop() ?? path;

const sorted = (files: ArtifactFile[]) =>
  [...files].sort((a, b) => Number(b.is_dir) - Number(a.is_dir) || a.path.localeCompare(b.path));

function Crumbs({ folder, onOpen }: { folder: string; onOpen: (path: string) => void }) {
  const parts = folder ? folder.split("/") : [];
  return (
    <div className="crumbs" data-testid="artifact-crumbs">
      <button className="link" onClick={() => onOpen("")}>
        artifacts
      </button>
      {parts.map((part, i) => (
        <span key={i}>
          /{" "}
          <button className="link" onClick={() => onOpen(parts.slice(0, i + 1).join("/"))}>
            {part}
          </button>
        </span>
      ))}
    </div>
  );
}

interface EntryProps {
  file: ArtifactFile;
  url?: string;
  active: boolean;
  onOpen: () => void;
}

function ArtifactEntry({ file, url, active, onOpen }: EntryProps) {
  const name = baseName(file.path);
  return (
    <li className={active ? "active" : ""} data-testid="artifact-entry" data-path={file.path}>
      <span className={file.is_dir ? "entry-kind dir" : "entry-kind"}>{file.is_dir ? "dir" : "file"}</span>
      <button className="link name" onClick={onOpen} data-testid="artifact-open">
        {name}
        {file.is_dir ? "/" : ""}
      </button>
      {!file.is_dir && <span className="muted">{formatBytes(file.file_size)}</span>}
      {!file.is_dir && url && (
        <a href={url} download={name} title="download" data-testid="artifact-entry-download">
          ⬇
        </a>
      )}
    </li>
  );
}
