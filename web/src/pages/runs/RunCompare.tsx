// Compares 2 to 50 runs (`?runs=ID1,ID2` or every run of a sweep, `?sweep=ID`): metric
// charts overlaid, parallel coordinates of params against a metric, a param diff table and
// the metrics side by side.
import { Link, useSearchParams } from "react-router-dom";
import { useApi } from "../../api/useApi";
import { ErrorBanner, Loading } from "../../components/Status";
import { CompareRefusal, loadComparison, resolveRunIds } from "./compareData";
import { CompareCharts } from "./CompareCharts";
import { ParallelChart } from "./ParallelChart";
import { ParamDiffTable } from "./ParamDiffTable";
import { CompareMetricsTable } from "./CompareMetricsTable";
import "./runs.css";

export function RunCompare() {
  const [search] = useSearchParams();
  const runsParam = search.get("runs");
  const sweep = search.get("sweep");
  const loaded = useApi(async () => loadComparison(await resolveRunIds(runsParam, sweep)), [runsParam, sweep]);
  const title = sweep ? `Sweep ${sweep}` : "Compare runs";
  return (
    <div data-testid="run-compare">
      <h1>
        {title}
        {loaded.data && <span className="muted"> · {loaded.data.runs.length} runs</span>}
      </h1>
      {loaded.error instanceof CompareRefusal ? (
        <div className="notice refusal" data-testid="compare-refusal">
          {loaded.error.message} Pick runs in an experiment's <Link to="/experiments">run table</Link>.
        </div>
      ) : (
        <ErrorBanner error={loaded.error} />
      )}
      {loaded.loading && !loaded.data && <Loading what="the runs" />}
      {loaded.data && loaded.data.missing.length > 0 && (
        <div className="error-banner" data-testid="compare-missing">
          No such run: {loaded.data.missing.join(", ")}
        </div>
      )}
      {loaded.data && loaded.data.runs.length >= 2 && (
        <>
          <CompareCharts comparison={loaded.data} />
          <ParallelChart comparison={loaded.data} />
          <ParamDiffTable comparison={loaded.data} />
          <CompareMetricsTable comparison={loaded.data} />
        </>
      )}
    </div>
  );
}
