// The registered models, a page at a time (max_results/page_token), with a name search.
import { useState } from "react";
import { Link } from "react-router-dom";
import { useApi } from "../../api/useApi";
import { listModels, type RegisteredModel } from "../../api/models";
import { quoteFilterString } from "../../api/runs";
import { Empty, ErrorBanner, Loading } from "../../components/Status";
import { DataTable, type Column } from "../../components/DataTable";
import { formatTime } from "../../components/format";
import { Pager, usePageTokens } from "../../components/Pager";
import { AliasChips } from "./AliasChips";

const pageSize = 50;

export function ModelList() {
  const [search, setSearch] = useState("");
  const filter = search.trim() ? `name ILIKE ${quoteFilterString(`%${search.trim()}%`)}` : undefined;
  const pages = usePageTokens(filter);
  const page = useApi(() => listModels(pages.token, filter, pageSize), [pages.token, filter]);
  return (
    <div>
      <h1>Models</h1>
      <div className="toolbar">
        <input
          placeholder="Search by name"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="model-search"
        />
      </div>
      <ErrorBanner error={page.error} />
      {!page.data && page.loading && <Loading what="models" />}
      {page.data && <ModelTable models={page.data.models} />}
      <Pager pages={pages} nextToken={page.data?.next_page_token} />
    </div>
  );
}

function ModelTable({ models }: { models: RegisteredModel[] }) {
  if (models.length === 0)
    return <Empty>No registered models yet: register one from a run's page, or with a pipeline's register step.</Empty>;
  return <DataTable rows={models} columns={columns} rowKey={(m) => m.name} rowTestId="model-row" />;
}

const columns: Column<RegisteredModel>[] = [
  { header: "Name", cell: (m) => <Link to={`/models/${encodeURIComponent(m.name)}`}>{m.name}</Link> },
  { header: "Latest version", cell: latestVersion },
  {
    header: "Aliases",
    cell: (m) => <AliasChips aliases={(m.aliases ?? []).map((a) => `${a.alias} → v${a.version}`)} />,
  },
  { header: "Updated", cell: (m) => formatTime(m.last_updated_timestamp) },
];

function latestVersion(m: RegisteredModel): string {
  const numbers = (m.latest_versions ?? []).map((v) => Number(v.version));
  return numbers.length ? `v${Math.max(...numbers)}` : "—";
}
