/** Exit codes, as the README's table lists them. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  secretsBackend: 3,
  /** 128 + SIGINT, as shells report an interrupted command. */
  interrupted: 130,
} as const;

/** Invalid flags or configuration: exit 2. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
}
