// Placeholder: replaced by the page itself.
export function ModuleView() {
  return <h1>Module</h1>;
}
