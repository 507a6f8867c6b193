// Placeholder: replaced by the page itself.
export function ExperimentList() {
  return <h1>Experiments</h1>;
}
