// Sets or moves an alias of a registered model: pick the alias and the version, then confirm
// ("move @champion from v1 to v2?") before the MLflow alias route is called.
import { useState } from "react";
import { setAlias, type RegisteredModel } from "../../api/models";
import { ErrorBanner } from "../../components/Status";
import { Dialog } from "../../components/Dialog";
import { aliasError } from "../../components/modelValidation";

export function AliasDialog({
  model,
  initialVersion,
  onDone,
  onClose,
}: {
  model: RegisteredModel;
  initialVersion?: string;
  onDone: () => void;
  onClose: () => void;
}) {
  const versions = (model.versions ?? []).map((v) => v.version);
  const [alias, setAliasText] = useState(model.aliases?.[0]?.alias ?? "champion");
  const [version, setVersion] = useState(initialVersion ?? versions[0] ?? "");
  const [confirming, setConfirming] = useState(false);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const problem = aliasError(alias.trim(), true);
  const current = model.aliases?.find((a) => a.alias === alias.trim())?.version;

  function review() {
    setTouched(true);
    if (!problem) setConfirming(true);
  }
  async function apply() {
    setBusy(true);
    setError(undefined);
    try {
      await setAlias(model.name, alias.trim(), version);
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  const question = current
    ? current === version
      ? `@${alias.trim()} already points at v${version}; set it again?`
      : `Move @${alias.trim()} from v${current} to v${version}?`
    : `Set @${alias.trim()} on v${version}?`;
  return (
    <Dialog title={confirming ? "Confirm alias change" : "Set alias"} onClose={onClose} testId="alias-dialog">
      <ErrorBanner error={error} />
      {confirming ? (
        <p data-testid="confirm-question">
          {question} Deployments that follow {model.name}@{alias.trim()} will switch to v{version}.
        </p>
      ) : (
        <AliasFields
          model={model}
          alias={alias}
          version={version}
          versions={versions}
          problem={touched ? problem : ""}
          onAlias={setAliasText}
          onVersion={setVersion}
        />
      )}
      <div className="km-actions">
        <button onClick={confirming ? () => setConfirming(false) : onClose}>{confirming ? "Back" : "Cancel"}</button>
        {confirming ? (
          <button className="primary" disabled={busy} onClick={apply} data-testid="confirm-yes">
            {current && current !== version ? "Move alias" : "Set alias"}
          </button>
        ) : (
          <button className="primary" onClick={review} data-testid="alias-next">
            Continue
          </button>
        )}
      </div>
    </Dialog>
  );
}

function AliasFields(props: {
  model: RegisteredModel;
  alias: string;
  version: string;
  versions: string[];
  problem: string;
  onAlias: (a: string) => void;
  onVersion: (v: string) => void;
}) {
  return (
    <>
      <label className="field">
        Alias
        <input
          list="km-alias-list"
          value={props.alias}
          onChange={(e) => props.onAlias(e.target.value)}
          className={props.problem ? "invalid" : ""}
          data-testid="alias-name"
        />
        <datalist id="km-alias-list">
          {(props.model.aliases ?? []).map((a) => (
            <option key={a.alias} value={a.alias} />
          ))}
        </datalist>
        {props.problem && <span className="field-error">{props.problem}</span>}
      </label>
      <label className="field">
        Version
        <select value={props.version} onChange={(e) => props.onVersion(e.target.value)} data-testid="alias-version">
          {props.versions.map((v) => (
            <option key={v} value={v}>
              v{v}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
