// Every dataset: its latest version, that version's size, and when it last changed.
import { Link } from "react-router-dom";
import { useApi } from "../../api/useApi";
import { listDatasets, type DatasetSummary } from "../../api/datasets";
import { DataTable, type Column } from "../../components/DataTable";
import { Empty, ErrorBanner, Loading } from "../../components/Status";
import { formatBytes, formatTime } from "../../components/format";

export function DatasetList() {
  const list = useApi(listDatasets, []);
  return (
    <div>
      <h1>Datasets</h1>
      <ErrorBanner error={list.error} />
      {!list.data && list.loading && <Loading what="datasets" />}
      {list.data?.length === 0 && (
        <Empty>
          No datasets yet: add one with <code>kiln data add FILE --name NAME</code>.
        </Empty>
      )}
      {!!list.data?.length && (
        <DataTable rows={list.data} columns={columns} rowKey={(d) => d.name} rowTestId="dataset-row" />
      )}
    </div>
  );
}

const columns: Column<DatasetSummary>[] = [
  { header: "Name", cell: (d) => <Link to={`/datasets/${encodeURIComponent(d.name)}`}>{d.name}</Link> },
  { header: "Latest version", cell: (d) => `v${d.latest_version}` },
  { header: "Size", cell: (d) => formatBytes(d.latest_size_bytes), num: true },
  { header: "Description", cell: (d) => d.description || <span className="muted">—</span> },
  { header: "Updated", cell: (d) => formatTime(d.updated_ms) },
];
