// A module of its own, also exported as `@bruin-ts/secrets-core/exit-codes`: a caller that needs only
// the codes (the CLI at start-up) loads nothing else.
/**
 * The exit codes of bruin, the one table every package and the CLI use:
 * - `ok` (0): everything ran and passed;
 * - `failed` (1): an asset, a check or the pipeline itself failed;
 * - `usage` (2): the command line or the configuration is wrong (a bad flag,
 *   a missing variable, a connection whose driver is not installed);
 * - `secretsBackend` (3): the secrets backend failed (unreachable, refused, a bad secret);
 * - `interrupted` (130): 128 + SIGINT, as shells report an interrupted command.
 */
export const EXIT_CODES = {
  ok: 0,
  failed: 1,
  usage: 2,
  secretsBackend: 3,
  interrupted: 130,
} as const;

/** The value of one entry of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
