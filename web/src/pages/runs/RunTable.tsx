// The run table of one experiment: server-side filter (MLflow syntax), sorting and
// page-token pagination, chosen param/metric columns, and a selection to compare.
import { useMemo, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { getExperiment, searchRuns } from "../../api/runs";
import { useApi } from "../../api/useApi";
import { Empty, ErrorBanner, Loading } from "../../components/Status";
import { Pager, usePageTokens } from "../../components/Pager";
import { FilterBar } from "./FilterBar";
import { ColumnChooser, defaultColumns, keysOfPage } from "./ColumnChooser";
import { RunRows } from "./RunRows";
import { CompareBar } from "./CompareBar";
import { effectiveFilter, PAGE_SIZES, useRunTableState } from "./runTableState";
import "./runs.css";

export function RunTable() {
  const experimentId = useParams().experimentId ?? "0";
  const [state, update] = useRunTableState();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const filter = effectiveFilter(state);
  const pages = usePageTokens(JSON.stringify([experimentId, filter, state.order, state.size]));

  const experiment = useApi(() => getExperiment(experimentId), [experimentId]);
  const runs = useApi(
    () =>
      searchRuns({
        experimentIds: [experimentId],
        filter,
        orderBy: state.order,
        maxResults: state.size,
        pageToken: pages.token,
      }),
    [experimentId, filter, state.order, state.size, pages.token],
  );
  const pageRuns = useMemo(() => runs.data?.runs ?? [], [runs.data]);
  const keys = useMemo(() => keysOfPage(pageRuns), [pageRuns]);
  const columns = state.columns ?? defaultColumns(keys);

  return (
    <div>
      <div className="toolbar">
        <h1 className="grow-title">
          <Link to="/experiments">Experiments</Link> ›{" "}
          <span data-testid="experiment-name">{experiment.data?.name ?? experimentId}</span>
        </h1>
      </div>
      <ErrorBanner error={experiment.error} />
      <FilterBar
        filter={state.filter}
        topLevelOnly={state.topLevelOnly}
        onApply={(f) => update({ filter: f })}
        onTopLevel={(top) => update({ topLevelOnly: top })}
      />
      <ErrorBanner error={runs.error} />
      <div className="toolbar">
        <ColumnChooser keys={keys} columns={columns} onChange={(c) => update({ columns: c })} />
        <label>
          Page size{" "}
          <select data-testid="page-size" value={state.size} onChange={(e) => update({ size: Number(e.target.value) })}>
            {PAGE_SIZES.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        {runs.loading && <span className="muted">loading…</span>}
        <span className="spacer" />
        <CompareBar selected={selected} onClear={() => setSelected(new Set())} />
      </div>
      {runs.loading && !runs.data && <Loading what="runs" />}
      {runs.data && pageRuns.length === 0 && <Empty>No runs match.</Empty>}
      {pageRuns.length > 0 && (
        <RunRows
          runs={pageRuns}
          columns={columns}
          order={state.order}
          onOrder={(order) => update({ order })}
          selected={selected}
          onSelect={setSelected}
        />
      )}
      <Pager pages={pages} nextToken={runs.data?.next_page_token} />
    </div>
  );
}
