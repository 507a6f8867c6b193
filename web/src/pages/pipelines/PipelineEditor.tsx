// Placeholder: replaced by the page itself.
export function PipelineEditor() {
  return <h1>Pipeline editor</h1>;
}
