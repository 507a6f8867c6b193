// Placeholder: replaced by the page itself.
export function RunView() {
  return <h1>Run</h1>;
}
