// Placeholder: replaced by the models area. Shown on a run's page; registers the model
// package the run produced as a new version of a registered model (renders nothing when the
// run produced no model).
export function RegisterModelButton(_props: { runId: string }) {
  return null;
}
