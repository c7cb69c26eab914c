// Where the things the benches run live.
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../../apps/cli/dist/bin.js", import.meta.url));
export const QUICKSTART = fileURLToPath(new URL("../../../examples/quickstart", import.meta.url));
