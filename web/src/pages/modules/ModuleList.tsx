// Placeholder: replaced by the page itself.
export function ModuleList() {
  return <h1>Modules</h1>;
}
