// Placeholder: replaced by the page itself.
export function DeploymentList() {
  return <h1>Deployments</h1>;
}
