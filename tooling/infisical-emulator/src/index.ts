export { startEmulator, loadSeed } from "./emulator.js";
export { HIDDEN_SECRET_VALUE } from "./secret-store.js";
export { makeTestCertificates } from "./certificates.js";
export { startConnectProxy } from "./connect-proxy.js";
export type { ConnectProxy } from "./connect-proxy.js";
export type { TestCertificate, TestCertificates } from "./certificates.js";
export type {
  Emulator,
  EmulatorCounters,
  EmulatorSeed,
  FaultRule,
  RequestKind,
  RequestLogEntry,
  StartEmulatorOptions,
} from "./types.js";
