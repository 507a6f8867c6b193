// Placeholder: replaced by the page itself.
export function DatasetView() {
  return <h1>Dataset</h1>;
}
