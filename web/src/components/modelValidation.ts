// Checks of names and references the user types, done before anything is sent. Each returns
// the message to show next to the field, or "" when the value is fine.

const modelNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const aliasPattern = /^[A-Za-z0-9_-]{1,255}$/;
const deploymentNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function modelNameError(name: string): string {
  if (!name) return "model name is required";
  if (!modelNamePattern.test(name))
    return "model name: 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit";
  return "";
}

/** An alias is optional where `required` is false. */
export function aliasError(alias: string, required = false): string {
  if (!alias) return required ? "alias is required" : "";
  if (!aliasPattern.test(alias)) return "alias: only letters, digits, '_' and '-'";
  const lower = alias.toLowerCase();
  if (lower === "latest" || /^v\d+$/.test(lower)) return `alias: '${alias}' is reserved`;
  return "";
}

export function deploymentNameError(name: string): string {
  if (!name) return "deployment name is required";
  if (!deploymentNamePattern.test(name))
    return "deployment name: 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit";
  return "";
}

/** `MODEL@ALIAS` or `MODEL/VERSION`; `field` names the input in the message. */
export function modelRefError(ref: string, field: string, required = true): string {
  if (!ref) return required ? `${field} is required` : "";
  const alias = /^([^@/]+)@([A-Za-z0-9_-]+)$/.exec(ref);
  const version = /^([^@/]+)\/(\d+)$/.exec(ref);
  if (!alias && !version) return `${field}: expected MODEL@ALIAS or MODEL/VERSION, got '${ref}'`;
  return "";
}

export function weightError(text: string): string {
  if (text.trim() === "") return "";
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 100) return "canary weight: a whole number from 0 to 100";
  return "";
}
