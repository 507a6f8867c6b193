// The manifests of the modules a pipeline uses, by "module@version", loaded once each. Plain
// data and a hook, without the canvas, so checks (validate.ts) can use them anywhere.
import { useEffect, useState } from "react";
import { getModule, type ModuleManifest } from "../../api/modules";
import { splitUses } from "./spec";

export type Manifests = Record<string, ModuleManifest | Error>; // by "module@version"

/** Loads the manifest of every `uses` it is given (once each); failures are kept as Errors. */
export function useManifests(uses: string[]): Manifests {
  const [manifests, setManifests] = useState<Manifests>({});
  const key = [...new Set(uses)].sort().join("|");
  useEffect(() => {
    for (const u of key ? key.split("|") : []) {
      if (manifests[u]) continue;
      const { module, version } = splitUses(u);
      getModule(module, version).then(
        (m) => setManifests((prev) => ({ ...prev, [u]: m })),
        (e: Error) => setManifests((prev) => ({ ...prev, [u]: e })),
      );
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return manifests;
}

export const manifestOf = (manifests: Manifests, uses?: string): ModuleManifest | undefined => {
  const m = uses ? manifests[uses] : undefined;
  return m && !(m instanceof Error) ? m : undefined;
};
