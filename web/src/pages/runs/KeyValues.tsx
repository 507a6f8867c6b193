// A two-column key/value table (a run's params or tags), sorted by key.
import type { KeyValue } from "../../api/runs";
import { DataTable, type Column } from "../../components/DataTable";
import { Empty } from "../../components/Status";

export function KeyValues({ items, testId, empty }: { items: KeyValue[]; testId: string; empty: string }) {
  if (items.length === 0) return <Empty>{empty}</Empty>;
  const sorted = [...items].sort((a, b) => a.key.localeCompare(b.key));
  return (
    <DataTable
      rows={sorted}
      columns={columns}
      rowKey={(item) => item.key}
      testId={testId}
      rowTestId={`${testId}-row`}
    />
  );
}

const columns: Column<KeyValue>[] = [
  { cell: (item) => item.key, className: "mono" },
  { cell: (item) => item.value, className: "mono kv-value" },
];
