// A two-column key/value table (a run's params or tags), sorted by key.
import type { KeyValue } from "../../api/runs";
import { Empty } from "../../components/Status";

export function KeyValues({ items, testId, empty }: { items: KeyValue[]; testId: string; empty: string }) {
  if (items.length === 0) return <Empty>{empty}</Empty>;
  const sorted = [...items].sort((a, b) => a.key.localeCompare(b.key));
  return (
    <table className="data" data-testid={testId}>
      <tbody>
        {sorted.map((item) => (
          <tr key={item.key} data-testid={`${testId}-row`}>
            <td className="mono">{item.key}</td>
            <td className="mono kv-value">{item.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
