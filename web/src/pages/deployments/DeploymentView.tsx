// Placeholder: replaced by the page itself.
export function DeploymentView() {
  return <h1>Deployment</h1>;
}
