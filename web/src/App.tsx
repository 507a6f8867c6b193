// The shell: navigation and the route table. Each area's pages live in pages/AREA/.
import { NavLink, Navigate, Route, Routes } from "react-router-dom";
import { PipelineList } from "./pages/pipelines/PipelineList";
import { PipelineView } from "./pages/pipelines/PipelineView";
import { PipelineEditor } from "./pages/pipelines/PipelineEditor";
import { PipelineRunView } from "./pages/pipelines/PipelineRunView";
import { ExperimentList } from "./pages/runs/ExperimentList";
import { RunTable } from "./pages/runs/RunTable";
import { RunView } from "./pages/runs/RunView";
import { RunCompare } from "./pages/runs/RunCompare";
import { ModelList } from "./pages/models/ModelList";
import { ModelView } from "./pages/models/ModelView";
import { DeploymentList } from "./pages/deployments/DeploymentList";
import { DeploymentView } from "./pages/deployments/DeploymentView";
import { DatasetList } from "./pages/datasets/DatasetList";
import { DatasetView } from "./pages/datasets/DatasetView";
import { ModuleList } from "./pages/modules/ModuleList";
import { ModuleView } from "./pages/modules/ModuleView";

const areas = [
  ["/pipelines", "Pipelines"],
  ["/experiments", "Runs"],
  ["/models", "Models"],
  ["/deployments", "Deployments"],
  ["/datasets", "Datasets"],
  ["/modules", "Modules"],
] as const;

export function App() {
  return (
    <div className="app">
      <header className="topbar">
        <NavLink to="/" className="brand">
          Kiln
        </NavLink>
        <nav>
          {areas.map(([to, label]) => (
            <NavLink key={to} to={to} className={({ isActive }) => (isActive ? "active" : "")}>
              {label}
            </NavLink>
          ))}
        </nav>
      </header>
      <main className="content">
        <Routes>
          <Route path="/" element={<Navigate to="/pipelines" replace />} />
          <Route path="/pipelines" element={<PipelineList />} />
          <Route path="/pipelines/new" element={<PipelineEditor />} />
          <Route path="/pipelines/:name" element={<PipelineView />} />
          <Route path="/pipelines/:name/edit" element={<PipelineEditor />} />
          <Route path="/pipeline-runs/:runId" element={<PipelineRunView />} />
          <Route path="/experiments" element={<ExperimentList />} />
          <Route path="/experiments/:experimentId" element={<RunTable />} />
          <Route path="/runs/:runId" element={<RunView />} />
          <Route path="/compare" element={<RunCompare />} />
          <Route path="/models" element={<ModelList />} />
          <Route path="/models/:name" element={<ModelView />} />
          <Route path="/deployments" element={<DeploymentList />} />
          <Route path="/deployments/:name" element={<DeploymentView />} />
          <Route path="/datasets" element={<DatasetList />} />
          <Route path="/datasets/:name" element={<DatasetView />} />
          <Route path="/modules" element={<ModuleList />} />
          <Route path="/modules/*" element={<ModuleView />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </main>
    </div>
  );
}

function NotFound() {
  return (
    <div>
      <h1>Page not found</h1>
      <p className="muted">No page here; pick an area above.</p>
    </div>
  );
}
