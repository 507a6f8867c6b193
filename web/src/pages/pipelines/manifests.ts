// The manifests of the modules a pipeline uses, by "module@version", loaded once each. Plain
// data and a hook, without the canvas, so checks (validate.ts) can use them anywhere.
import { useEffect, useRef, useState } from "react";
import { getModule, type ModuleManifest } from "../../api/modules";
import { splitUses } from "./spec";

export type Manifests = Record<string, ModuleManifest | Error>; // by "module@version"

/** Loads the manifest of every `uses` it is given (once each); failures are kept as Errors. */
export function useManifests(uses: string[]): Manifests {
  const [manifests, setManifests] = useState<Manifests>({});
  const requested = useRef(new Set<string>()); // asked for once, even while the answer is on its way
  const key = [...new Set(uses)].sort().join("|");
  useEffect(() => {
    for (const u of key ? key.split("|") : []) {
      if (requested.current.has(u)) continue;
      requested.current.add(u);
      const { module, version } = splitUses(u);
      getModule(module, version).then(
        (m) => setManifests((prev) => ({ ...prev, [u]: m })),
        (e: Error) => setManifests((prev) => ({ ...prev, [u]: e })),
      );
    }
  }, [key]);
  return manifests;
}

export const manifestOf = (manifests: Manifests, uses?: string): ModuleManifest | undefined => {
  const m = uses ? manifests[uses] : undefined;
  return m && !(m instanceof Error) ? m : undefined;
};
