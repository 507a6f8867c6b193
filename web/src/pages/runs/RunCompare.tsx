// Placeholder: replaced by the page itself.
export function RunCompare() {
  return <h1>Compare runs</h1>;
}
