// Placeholder: replaced by the page itself.
export function ModelList() {
  return <h1>Models</h1>;
}
