// One registered model: its aliases (set, move, delete with a confirmation), its versions
// newest first with their metrics and source runs, a Deploy action per version or alias, and
// the lineage graph of a chosen version (`?version=N` chooses it in a link).
import { useState } from "react";
import { useParams, useSearchParams } from "react-router-dom";
import { useApi } from "../../api/useApi";
import { deleteAlias, getModel, type RegisteredModel } from "../../api/models";
import { ErrorBanner, Loading } from "../../components/Status";
import { AliasChips } from "./AliasChips";
import { AliasDialog } from "./AliasDialog";
import { ConfirmDialog } from "../../components/Dialog";
import { DeployDialog, suggestDeploymentName } from "../../components/DeployDialog";
import { LineageGraph } from "./LineageGraph";
import { VersionTable } from "./VersionTable";

type Action =
  { kind: "alias"; version?: string } | { kind: "delete-alias"; alias: string } | { kind: "deploy"; ref: string };

export function ModelView() {
  const name = useParams().name ?? "";
  const model = useApi(() => getModel(name), [name]);
  const [action, setAction] = useState<Action>();
  // A link to one version (`?version=3`, from a pipeline run's results) opens its lineage.
  const [search] = useSearchParams();
  const [lineageVersion, setLineageVersion] = useState<string | undefined>(() => search.get("version") ?? undefined);
  const m = model.data;
  const close = () => setAction(undefined);
  const done = () => {
    setAction(undefined);
    model.reload();
  };

  return (
    <div>
      <h1 data-testid="model-title">{name}</h1>
      <ErrorBanner error={model.error} />
      {!m && model.loading && <Loading what="model" />}
      {m && (
        <>
          <AliasBar model={m} onAction={setAction} />
          <h2>Versions</h2>
          <VersionTable
            model={m}
            onDeploy={(ref) => setAction({ kind: "deploy", ref })}
            onSetAlias={(version) => setAction({ kind: "alias", version })}
            onLineage={setLineageVersion}
          />
          <LineageSection model={m} version={lineageVersion} onVersion={setLineageVersion} />
        </>
      )}
      {m && action?.kind === "alias" && (
        <AliasDialog model={m} initialVersion={action.version} onDone={done} onClose={close} />
      )}
      {m && action?.kind === "delete-alias" && (
        <DeleteAlias model={m} alias={action.alias} onDone={done} onClose={close} />
      )}
      {m && action?.kind === "deploy" && (
        <DeployDialog defaultName={suggestDeploymentName(m.name)} modelRef={action.ref} onClose={close} />
      )}
    </div>
  );
}

function AliasBar({ model, onAction }: { model: RegisteredModel; onAction: (a: Action) => void }) {
  const aliases = model.aliases ?? [];
  return (
    <div className="panel toolbar" data-testid="alias-bar">
      <strong>Aliases</strong>
      {aliases.length === 0 && <span className="muted">none</span>}
      {aliases.map((a) => (
        <span key={a.alias} className="row" style={{ gap: "0.2rem", alignItems: "center" }}>
          <AliasChips
            aliases={[`${a.alias} → v${a.version}`]}
            onDelete={() => onAction({ kind: "delete-alias", alias: a.alias })}
          />
          <button
            className="link"
            onClick={() => onAction({ kind: "deploy", ref: `${model.name}@${a.alias}` })}
            data-testid="deploy-alias"
          >
            deploy @{a.alias}
          </button>
        </span>
      ))}
      <span className="spacer" />
      <button onClick={() => onAction({ kind: "alias" })} disabled={!model.versions?.length} data-testid="set-alias">
        Set or move alias…
      </button>
    </div>
  );
}

function DeleteAlias({
  model,
  alias,
  onDone,
  onClose,
}: {
  model: RegisteredModel;
  alias: string;
  onDone: () => void;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const version = model.aliases?.find((a) => a.alias === alias)?.version;
  async function remove() {
    setBusy(true);
    try {
      await deleteAlias(model.name, alias);
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }
  return (
    <ConfirmDialog
      title="Delete alias"
      question={`Delete @${alias} (now on v${version})? Deployments following ${model.name}@${alias} keep their loaded version but can no longer resolve it.`}
      confirmLabel="Delete alias"
      busy={busy}
      error={<ErrorBanner error={error} />}
      onConfirm={remove}
      onClose={onClose}
    />
  );
}

function LineageSection({
  model,
  version,
  onVersion,
}: {
  model: RegisteredModel;
  version?: string;
  onVersion: (v: string) => void;
}) {
  const versions = model.versions ?? [];
  const chosen = versions.find((v) => v.version === version) ?? versions[0];
  if (!chosen) return null;
  return (
    <div className="panel">
      <div className="toolbar">
        <h2 style={{ margin: 0 }}>Lineage</h2>
        <select value={chosen.version} onChange={(e) => onVersion(e.target.value)} data-testid="lineage-version">
          {versions.map((v) => (
            <option key={v.version} value={v.version}>
              v{v.version}
            </option>
          ))}
        </select>
        <span className="muted">
          dataset → step runs → artifacts → model version → deployments; click a node to open it
        </span>
      </div>
      <LineageGraph version={chosen} />
    </div>
  );
}
