/**
 * What the command line parser knows about one command's flags, and the
 * messages for what it does not understand. Everything here runs before a
 * command starts: nothing is read, nothing is opened.
 */

/** The flags of one command, as yargs declared them. */
export interface CommandFlags {
  /** e.g. `bruin run [path]`. */
  usage: string;
  /** Every name a flag answers to (long names, aliases and short letters), each mapped to its main name. */
  names: Map<string, string>;
  booleans: Set<string>;
  numbers: Set<string>;
  strings: Set<string>;
}

/** The part of yargs' options object read here (yargs' `getOptions()`, not in its typings). */
interface YargsOptions {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
  boolean: string[];
  number: string[];
  string: string[];
}

const INTERNAL = new Set(["$0", "_", "get-yargs-completions"]);

/** Reads a command's declared flags from its yargs builder; `command` is the builder's yargs instance. */
export function flagsOf(command: unknown, usage: string): CommandFlags {
  const options = (command as { getOptions(): YargsOptions }).getOptions();
  const names = new Map<string, string>();
  for (const key of Object.keys(options.key)) {
    if (INTERNAL.has(key) || names.has(key)) continue;
    names.set(key, key);
    for (const alias of options.alias[key] ?? []) if (!/[A-Z]/.test(alias)) names.set(alias, key);
  }
  return {
    usage,
    names,
    booleans: new Set(options.boolean),
    numbers: new Set(options.number),
    strings: new Set(options.string),
  };
}

/** The keys a command's flags take values under, for `requiresArg`. */
export function valueFlags(command: unknown): string[] {
  const options = (command as { getOptions(): YargsOptions }).getOptions();
  return [...new Set([...options.string, ...options.number])].filter((key) => !INTERNAL.has(key));
}

/** `--name` or `-n`, as typed. */
export function flagText(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** How a flag is shown in a message: its main name, with the short form used when that is what was typed. */
export function describeFlag(name: string, flags: CommandFlags | undefined): string {
  const main = flags?.names.get(name) ?? name;
  return main === name || name.length > 1 ? flagText(main) : `${flagText(name)} (${flagText(main)})`;
}

interface Token {
  /** The flag as typed, without a value: `--wokers`, `-t`, `--no-color`. */
  text: string;
  /** The name without dashes or `no-`. */
  name: string;
  negated: boolean;
  /** The value after `=`, when there is one. */
  value?: string;
}

/** The flags in `argv` as typed: `--name[=value]`, `--no-name` and each letter of `-abc`; nothing after `--`. */
export function flagTokens(argv: readonly string[]): Token[] {
  const tokens: Token[] = [];
  for (const arg of argv) {
    if (arg === "--") break;
    const long = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (long) {
      const [, raw = "", value] = long;
      const negated = raw.startsWith("no-");
      tokens.push({
        text: `--${raw}`,
        name: negated ? raw.slice(3) : raw,
        negated,
        ...(value !== undefined ? { value } : {}),
      });
      continue;
    }
    const short = /^-([a-zA-Z]+)(?:=(.*))?$/s.exec(arg);
    if (short) {
      for (const letter of short[1] ?? "") tokens.push({ text: `-${letter}`, name: letter, negated: false });
    }
  }
  return tokens;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * Turns yargs' `Unknown argument(s): a, b` into one message per unknown
 * thing: a flag (with the closest known flag, if one is close) or an
 * argument the command does not take.
 */
export async function unknownArgumentMessages(
  names: readonly string[],
  argv: readonly string[],
  flags: CommandFlags | undefined,
): Promise<string[]> {
  // yargs lists a camel-cased copy of each unknown kebab-cased flag: keep one.
  const unique = names.filter((name) => !(/[A-Z]/.test(name) && names.includes(kebab(name))));
  const tokens = flagTokens(argv);
  const messages: string[] = [];
  for (const name of unique) {
    const token = tokens.find((candidate) => candidate.name === name || candidate.text === `--${name}`);
    if (!token) {
      messages.push(`Unexpected argument '${name}'${flags ? `; usage: ${flags.usage}` : ""}`);
      continue;
    }
    const close = flags ? await closestFlag(token, flags) : undefined;
    messages.push(`Unknown flag ${token.text}.${close ? ` Did you mean ${close}?` : ""}`);
  }
  return messages;
}

/** The known flag closest to an unknown one, when it is close enough to be a typo. */
async function closestFlag(token: Token, flags: CommandFlags): Promise<string | undefined> {
  const typed = token.negated ? `no-${token.name}` : token.name;
  if (typed.length < 3) return undefined;
  const candidates: string[] = [];
  for (const name of flags.names.keys()) {
    if (name.length < 2) continue;
    candidates.push(name);
    if (flags.booleans.has(flags.names.get(name) ?? name)) candidates.push(`no-${name}`);
  }
  const { distance } = await import("fastest-levenshtein");
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const d = distance(typed, candidate);
    if (!best || d < best.distance) best = { name: candidate, distance: d };
  }
  return best && best.distance <= Math.max(2, Math.floor(typed.length / 3)) ? `--${best.name}` : undefined;
}

/** The closest of `known` to an unknown command word, if close enough. */
export async function closestWord(word: string, known: readonly string[]): Promise<string | undefined> {
  const { distance } = await import("fastest-levenshtein");
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const d = distance(word, candidate);
    if (!best || d < best.distance) best = { name: candidate, distance: d };
  }
  return best && best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.name : undefined;
}

/**
 * Problems yargs lets through: a boolean flag given a value other than
 * true/false (`--full-refresh=yes` would otherwise mean false), a value flag
 * given an empty value (`--tag=`), and a number flag given something else.
 */
export function valueProblems(argv: readonly string[], parsed: Record<string, unknown>, flags: CommandFlags): string[] {
  const problems: string[] = [];
  for (const token of flagTokens(argv)) {
    const main = flags.names.get(token.name);
    if (!main) continue;
    if (flags.booleans.has(main) && token.value !== undefined && !["true", "false"].includes(token.value)) {
      problems.push(`${describeFlag(token.name, flags)} takes no value, got '${token.value}'`);
    }
  }
  const typed = new Set(flagTokens(argv).map((token) => flags.names.get(token.name)));
  for (const main of new Set(flags.names.values())) {
    // Only what was typed as a flag: a positional (`bruin run ""`) is the command's to judge.
    if (!typed.has(main)) continue;
    const values = ([] as unknown[]).concat(parsed[main] ?? []);
    if (flags.numbers.has(main) && values.some((value) => typeof value !== "number" || !Number.isFinite(value))) {
      problems.push(`${flagText(main)} needs a number, got '${rawValue(argv, main, flags) ?? values.join(" ")}'`);
    } else if (flags.strings.has(main) && values.some((value) => typeof value === "string" && value.trim() === "")) {
      problems.push(`${flagText(main)} needs a value`);
    }
  }
  return problems;
}

/** The text typed after a flag (`--workers abc` or `--workers=abc`), for messages. */
export function rawValue(argv: readonly string[], main: string, flags: CommandFlags): string | undefined {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? "";
    const long = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    const short = /^-([a-zA-Z])$/.exec(arg);
    const name = long?.[1] ?? short?.[1];
    if (name === undefined || flags.names.get(name) !== main) continue;
    return long?.[2] ?? argv[index + 1];
  }
  return undefined;
}

/**
 * The words with every single-dash long flag written with two dashes, as the
 * reference (Go) reads them: `-env prod` is `--env prod`, `-workers=4` is
 * `--workers=4`, `-no-color` is `--no-color`. Letters are not bundled: `-rt`
 * is the (unknown) flag `--rt`, not `-r -t`. One-letter flags, negative
 * numbers and everything after `--` are left as they are.
 */
export function singleDashLongFlags(argv: readonly string[]): string[] {
  const end = argv.indexOf("--");
  return argv.map((word, index) =>
    (end === -1 || index < end) && /^-[a-zA-Z][a-zA-Z0-9-]+(?:=.*)?$/s.test(word) ? `-${word}` : word,
  );
}

/** All values of a repeatable flag, each split on commas: `-t a,b -t c` → a, b, c. */
export function listValues(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return ([] as unknown[])
    .concat(value)
    .flatMap((item) => String(item).split(","))
    .map((item) => item.trim())
    .filter(Boolean);
}

/** All values of a repeatable flag, as given. */
export function repeated(value: unknown): string[] | undefined {
  return value === undefined ? undefined : ([] as unknown[]).concat(value).map(String);
}
