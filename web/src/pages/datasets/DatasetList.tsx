// Placeholder: replaced by the page itself.
export function DatasetList() {
  return <h1>Datasets</h1>;
}
