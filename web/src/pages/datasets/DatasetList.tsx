// Every dataset: its latest version, that version's size, and when it last changed.
import { Link } from "react-router-dom";
import { useApi } from "../../api/useApi";
import { getDatasetVersion, listDatasets, type DatasetSummary } from "../../api/datasets";
import { Empty, ErrorBanner, Loading } from "../../components/Status";
import { formatBytes, formatTime } from "../../components/format";

export function DatasetList() {
  const list = useApi(listDatasets, []);
  return (
    <div>
      <h1>Datasets</h1>
      <ErrorBanner error={list.error} />
      {!list.data && list.loading && <Loading what="datasets" />}
      {list.data?.length === 0 && <Empty>No datasets yet: add one with <code>kiln data add FILE --name NAME</code>.</Empty>}
      {!!list.data?.length && (
        <table className="data">
          <thead>
            <tr>
              <th>Name</th>
              <th>Latest version</th>
              <th className="num">Size</th>
              <th>Description</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((d) => (
              <DatasetRow key={d.name} dataset={d} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function DatasetRow({ dataset: d }: { dataset: DatasetSummary }) {
  const latest = useApi(() => getDatasetVersion(d.name, "latest"), [d.name, d.latest_version]);
  return (
    <tr data-testid="dataset-row">
      <td>
        <Link to={`/datasets/${encodeURIComponent(d.name)}`}>{d.name}</Link>
      </td>
      <td>v{d.latest_version}</td>
      <td className="num">{latest.data ? formatBytes(latest.data.size_bytes) : "…"}</td>
      <td>{d.description || <span className="muted">—</span>}</td>
      <td>{formatTime(d.updated_ms)}</td>
    </tr>
  );
}
