// Module hooks that let `node --test` run the UI's TypeScript without a build: a relative
// import without an extension finds its .ts/.tsx file, TypeScript's own transpileModule strips
// the types (no type checking: `npm run typecheck` does that), and style sheets import as
// nothing. Registered by ./register.mjs.
import { readFile } from "node:fs/promises";
import ts from "typescript";

const EXTENSIONS = [".ts", ".tsx", "/index.ts"];

export async function resolve(specifier, context, nextResolve) {
  const relative = specifier.startsWith("./") || specifier.startsWith("../");
  if (relative && context.parentURL?.match(/\.tsx?$/) && !/\.[cm]?[jt]sx?$|\.css$|\.json$/.test(specifier)) {
    for (const ext of EXTENSIONS) {
      try {
        return await nextResolve(specifier + ext, context);
      } catch {
        // try the next extension
      }
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url.endsWith(".css")) return { format: "module", source: "export default {};", shortCircuit: true };
  if (!/\.tsx?$/.test(url)) return nextLoad(url, context);
  const text = await readFile(new URL(url), "utf8");
  const { outputText } = ts.transpileModule(text, {
    fileName: url,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      jsx: ts.JsxEmit.ReactJSX,
      sourceMap: false,
      inlineSourceMap: true,
      verbatimModuleSyntax: false,
    },
  });
  return { format: "module", source: outputText, shortCircuit: true };
}
