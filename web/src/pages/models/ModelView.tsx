// Placeholder: replaced by the page itself.
export function ModelView() {
  return <h1>Model</h1>;
}
