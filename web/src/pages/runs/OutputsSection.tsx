// The outputs a pipeline stored for this run (they are not MLflow artifacts): a step's run
// shows that step's outputs, a pipeline's parent run every step's, grouped by step. Picking an
// output previews it (tables, text, pictures); a folder shows its pictures and files.
import { useState } from "react";
import { Link } from "react-router-dom";
import type { TreeFile } from "../../api/blobs";
import { getPipelineRun, type PipelineStep } from "../../api/pipelines";
import { useApi } from "../../api/useApi";
import { Empty, ErrorBanner, Loading, StateBadge } from "../../components/Status";
import { ArtifactPreview } from "./ArtifactPreview";
import { FolderPreview } from "./FolderPreview";
import { OutputEntry } from "./OutputEntry";
import { folderFile, type OutputChoice, outputKey } from "./outputChoice";

interface Props {
  pipelineRunId: string;
  /** Only this step's outputs (on a step's run page); every step's when absent. */
  step?: string;
  live: boolean;
}

export function OutputsSection({ pipelineRunId, step, live }: Props) {
  const run = useApi(() => getPipelineRun(pipelineRunId), [pipelineRunId], live ? 3000 : undefined);
  const [chosen, setChosen] = useState<OutputChoice>();
  const steps = (run.data?.steps ?? []).filter((s) => !step || s.step === step);
  const count = steps.reduce((n, s) => n + s.outputs.length, 0);
  return (
    <section className="panel" data-testid="run-outputs">
      <h2>Outputs</h2>
      <ErrorBanner error={run.error} />
      {!run.data && !run.error && <Loading what="the step outputs" />}
      {run.data && count === 0 && <Empty>{live ? "No outputs yet." : "No outputs stored."}</Empty>}
      {count > 0 && (
        <div className="artifact-browser">
          <div className="outputs-list">
            {steps.map((s) => (
              <StepGroup key={s.step} step={s} titled={!step} chosenKey={chosen?.key} onChoose={setChosen} />
            ))}
          </div>
          <div>
            {chosen ? (
              <ChoicePreview choice={chosen} onChoose={setChosen} />
            ) : (
              <p className="muted">Pick an output to preview it.</p>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

interface GroupProps {
  step: PipelineStep;
  titled: boolean;
  chosenKey?: string;
  onChoose: (choice: OutputChoice) => void;
}

function StepGroup({ step, titled, chosenKey, onChoose }: GroupProps) {
  return (
    <div className="output-group" data-testid="output-step" data-step={step.step}>
      {titled && (
        <h3>
          {step.run_id ? <Link to={`/runs/${step.run_id}`}>{step.step}</Link> : step.step}{" "}
          <StateBadge state={step.status} />
          {step.cached && <span className="muted"> cached</span>}
        </h3>
      )}
      {step.outputs.length === 0 && <p className="muted">No outputs.</p>}
      <ul className="artifact-list">
        {step.outputs.map((o) => (
          <OutputEntry key={o.name} step={step.step} output={o} chosenKey={chosenKey} onChoose={onChoose} />
        ))}
      </ul>
    </div>
  );
}

function ChoicePreview({ choice, onChoose }: { choice: OutputChoice; onChoose: (c: OutputChoice) => void }) {
  if (choice.kind === "file") return <ArtifactPreview key={choice.key} file={choice.file} />;
  const { step, output } = choice;
  const openFile = (f: TreeFile) =>
    onChoose({ key: outputKey(step, output.name, f.path), kind: "file", file: folderFile(output, f) });
  return <FolderPreview key={choice.key} title={`${output.name}/`} files={choice.files} onOpenFile={openFile} />;
}
