// Placeholder: replaced by the page itself.
export function PipelineRunView() {
  return <h1>Pipeline run</h1>;
}
