import { startServer } from "./server.js";
import type { Emulator, StartEmulatorOptions } from "./types.js";

export { loadSeed } from "./seed.js";

/** Starts an Infisical API emulator on a loopback port (random unless `port` is given). */
export function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  return startServer(options);
}
