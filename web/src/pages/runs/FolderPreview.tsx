// A folder output at a glance: its pictures shown inline (the first 12) and its other files
// as links that open their own preview.
import { blobUrl, type TreeFile } from "../../api/blobs";
import { Empty } from "../../components/Status";
import { formatBytes } from "../../components/format";
import { previewKind } from "../../components/storedFiles";
import { StoredImage } from "../../components/StoredImage";
import { baseName } from "./outputChoice";

const MAX_IMAGES = 12;

interface Props {
  title: string;
  files: TreeFile[];
  onOpenFile: (file: TreeFile) => void;
}

export function FolderPreview({ title, files, onOpenFile }: Props) {
  const images = files.filter((f) => previewKind(f.path) === "image");
  const others = files.filter((f) => previewKind(f.path) !== "image");
  const total = files.reduce((sum, f) => sum + f.size, 0);
  return (
    <div className="preview" data-testid="folder-preview">
      <div className="toolbar">
        <b className="mono preview-title">{title}</b>
        <span className="muted">
          {files.length} files · {formatBytes(total)}
        </span>
      </div>
      {files.length === 0 && <Empty>An empty folder.</Empty>}
      {images.length > MAX_IMAGES && (
        <p className="muted">
          The first {MAX_IMAGES} of {images.length} pictures.
        </p>
      )}
      <div className="gallery">
        {images.slice(0, MAX_IMAGES).map((f) => (
          <figure key={f.path} className="gallery-item">
            <StoredImage url={blobUrl(f.digest)} path={f.path} testId="folder-image" />
            <figcaption>
              <button className="link mono" onClick={() => onOpenFile(f)}>
                {f.path}
              </button>
              <span className="muted"> {formatBytes(f.size)} </span>
              <a href={blobUrl(f.digest)} download={baseName(f.path)} title="download">
                ⬇
              </a>
            </figcaption>
          </figure>
        ))}
      </div>
      {others.length > 0 && (
        <ul className="artifact-list folder-files">
          {others.map((f) => (
            <li key={f.path}>
              <button className="link name" onClick={() => onOpenFile(f)} data-testid="folder-file-open">
                {f.path}
              </button>
              <span className="muted">{formatBytes(f.size)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
