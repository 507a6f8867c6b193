// Placeholder: replaced by the page itself.
export function PipelineList() {
  return <h1>Pipelines</h1>;
}
