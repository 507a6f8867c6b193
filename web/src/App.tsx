// The shell: navigation and the route table. Each area's pages live in pages/AREA/.
import { Suspense, lazy, type ComponentType } from "react";
import { NavLink, Navigate, Route, Routes } from "react-router-dom";
import { Loading } from "./components/Status";

// Each page is its own chunk, so the first page loads without the charting and canvas code of
// the others.
function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}
const PipelineList = lazyPage(() => import("./pages/pipelines/PipelineList"), "PipelineList");
const PipelineView = lazyPage(() => import("./pages/pipelines/PipelineView"), "PipelineView");
const PipelineEditor = lazyPage(() => import("./pages/pipelines/PipelineEditor"), "PipelineEditor");
const PipelineRunView = lazyPage(() => import("./pages/pipelines/PipelineRunView"), "PipelineRunView");
const ExperimentList = lazyPage(() => import("./pages/runs/ExperimentList"), "ExperimentList");
const RunTable = lazyPage(() => import("./pages/runs/RunTable"), "RunTable");
const RunView = lazyPage(() => import("./pages/runs/RunView"), "RunView");
const RunCompare = lazyPage(() => import("./pages/runs/RunCompare"), "RunCompare");
const ModelList = lazyPage(() => import("./pages/models/ModelList"), "ModelList");
const ModelView = lazyPage(() => import("./pages/models/ModelView"), "ModelView");
const DeploymentList = lazyPage(() => import("./pages/deployments/DeploymentList"), "DeploymentList");
const DeploymentView = lazyPage(() => import("./pages/deployments/DeploymentView"), "DeploymentView");
const DatasetList = lazyPage(() => import("./pages/datasets/DatasetList"), "DatasetList");
const DatasetView = lazyPage(() => import("./pages/datasets/DatasetView"), "DatasetView");
const ModuleList = lazyPage(() => import("./pages/modules/ModuleList"), "ModuleList");
const ModuleView = lazyPage(() => import("./pages/modules/ModuleView"), "ModuleView");

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
        <Suspense fallback={<Loading />}>
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
        </Suspense>
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
