export { startEmulator, loadSeed } from "./emulator.js";
export { HIDDEN_SECRET_VALUE } from "./secret-store.js";
export type {
  Emulator,
  EmulatorCounters,
  EmulatorSeed,
  FaultRule,
  RequestKind,
  RequestLogEntry,
  StartEmulatorOptions,
} from "./types.js";
