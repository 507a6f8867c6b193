// The rows of the run table: selection checkboxes, name, status, pipeline role, times and the
// chosen param/metric columns; clicking a sortable header orders by it on the server.
import { Link } from "react-router-dom";
import { metricNumber, type Run, tagOf } from "../../api/runs";
import { StateBadge } from "../../components/Status";
import { formatDuration, formatNumber, formatTime } from "../../components/format";
import { type Column, columnId, filterIdentifier, nextOrder } from "./runTableState";

interface Props {
  runs: Run[];
  columns: Column[];
  order: string;
  onOrder: (order: string) => void;
  selected: Set<string>;
  onSelect: (selected: Set<string>) => void;
}

export function RunRows({ runs, columns, order, onOrder, selected, onSelect }: Props) {
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect(next);
  };
  const allOnPage = runs.every((r) => selected.has(r.info.run_id));
  const togglePage = () => {
    const next = new Set(selected);
    runs.forEach((r) => (allOnPage ? next.delete(r.info.run_id) : next.add(r.info.run_id)));
    onSelect(next);
  };
  const header = (label: string, identifier: string, className = "") => (
    <SortHeader
      key={identifier}
      label={label}
      identifier={identifier}
      order={order}
      onOrder={onOrder}
      className={className}
    />
  );
  return (
    <div className="table-scroll">
      <table className="data run-table" data-testid="run-table">
        <thead>
          <tr>
            <th>
              <input type="checkbox" checked={allOnPage} onChange={togglePage} aria-label="select page" />
            </th>
            {header("Name", "attributes.run_name")}
            {header("Status", "attributes.status")}
            <th>Pipeline / step</th>
            {header("Started", "attributes.start_time")}
            <th className="num">Duration</th>
            {columns.map((c) => header(c.key, filterIdentifier(c.kind, c.key), `num col-${c.kind}`))}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <RunRow
              key={run.info.run_id}
              run={run}
              columns={columns}
              checked={selected.has(run.info.run_id)}
              onToggle={() => toggle(run.info.run_id)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SortHeader(props: {
  label: string;
  identifier: string;
  order: string;
  onOrder: (o: string) => void;
  className: string;
}) {
  const { label, identifier, order, onOrder, className } = props;
  const arrow = order === `${identifier} DESC` ? " ▼" : order === `${identifier} ASC` ? " ▲" : "";
  return (
    <th
      className={`sortable ${className}`}
      data-testid={`sort-${identifier}`}
      title={`sort by ${identifier}`}
      onClick={() => onOrder(nextOrder(order, identifier))}
    >
      {className.includes("col-params") && <span className="col-kind">param </span>}
      {className.includes("col-metrics") && <span className="col-kind">metric </span>}
      {label}
      {arrow}
    </th>
  );
}

function RunRow({
  run,
  columns,
  checked,
  onToggle,
}: {
  run: Run;
  columns: Column[];
  checked: boolean;
  onToggle: () => void;
}) {
  const { info } = run;
  const duration = info.end_time && info.start_time ? info.end_time - info.start_time : undefined;
  return (
    <tr data-testid="run-row" data-run-id={info.run_id}>
      <td>
        <input
          type="checkbox"
          checked={checked}
          onChange={onToggle}
          data-testid="run-select"
          aria-label={`select ${info.run_name}`}
        />
      </td>
      <td>
        <Link to={`/runs/${info.run_id}`} data-testid="run-link">
          {info.run_name || info.run_id}
        </Link>
      </td>
      <td>
        <StateBadge state={info.status} />
      </td>
      <td>
        <PipelineRole run={run} />
      </td>
      <td>{formatTime(info.start_time)}</td>
      <td className="num">{formatDuration(duration)}</td>
      {columns.map((c) => (
        <td key={columnId(c)} className="num" data-testid={`cell-${columnId(c)}`}>
          {cellValue(run, c)}
        </td>
      ))}
    </tr>
  );
}

function PipelineRole({ run }: { run: Run }) {
  const type = tagOf(run, "kiln.type");
  const parent = tagOf(run, "mlflow.parentRunId");
  if (type === "pipeline") return <span className="badge">pipeline {tagOf(run, "kiln.pipeline")}</span>;
  if (!parent) return <span className="muted">—</span>;
  return (
    <span>
      step {tagOf(run, "kiln.step") ?? ""} of{" "}
      <Link to={`/runs/${parent}`} className="mono">
        {parent.slice(0, 8)}
      </Link>
    </span>
  );
}

function cellValue(run: Run, column: Column): string {
  if (column.kind === "params") return run.data.params?.find((p) => p.key === column.key)?.value ?? "";
  const metric = run.data.metrics?.find((m) => m.key === column.key);
  return metric ? formatNumber(metricNumber(metric.value)) : "";
}
