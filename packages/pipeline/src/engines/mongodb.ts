import type { PlatformNames } from "./engine.js";

/** MongoDB runs no SQL assets; only its names are known here (`default_connections: {mongo: ...}`). */
export const mongodb: PlatformNames = {
  platform: "mongodb",
  assetTypes: [],
  defaultConnection: "mongo-default",
  platformAliases: ["mongo"],
};
