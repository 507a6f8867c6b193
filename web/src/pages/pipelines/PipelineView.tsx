// Placeholder: replaced by the page itself.
export function PipelineView() {
  return <h1>Pipeline</h1>;
}
