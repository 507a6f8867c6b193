// Placeholder: replaced by the page itself.
export function RunTable() {
  return <h1>Runs</h1>;
}
