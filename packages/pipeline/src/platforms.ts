// The names of each platform live in its engine module (engines/*.ts).
export { builtInDefaultConnection, canonicalPlatform, platformOfAssetType } from "./engines/index.js";
