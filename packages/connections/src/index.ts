export * from "./types.js";
export { validateConnection, canonicalType, isConnectionType, type ValidateOptions } from "./validate.js";
export { sensitiveFields, sensitiveValues, filledFields } from "./sensitive.js";
export { POSTGRES_SSL_MODES } from "./schemas.js";
export { ConnectionError, UnsupportedConnectionTypeError } from "./errors.js";
export { openConnection } from "./open.js";
export { splitStatements, type SplitOptions } from "./split-statements.js";
export { dialectFor, DIALECTS } from "./dialects.js";
