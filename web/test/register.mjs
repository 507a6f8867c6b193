// `node --import ./test/register.mjs --test ...`: TypeScript sources for the unit tests.
import { register } from "node:module";

register("./ts-hooks.mjs", import.meta.url);
