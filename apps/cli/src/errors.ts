import { EXIT_CODES } from "@bruin-ts/secrets-core/exit-codes";

/** Exit codes, as the README's table lists them: secrets-core's one table. */
export const EXIT = EXIT_CODES;

/** Invalid flags or configuration: exit 2. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
}
