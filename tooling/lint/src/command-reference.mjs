// The README's command reference, made from the CLI's own help: every command
// and subcommand with each of its flags. `pnpm lint` runs this with --check (the
// README must hold exactly what the built CLI declares); --write updates the
// README between its markers. Needs a build of apps/cli.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const README = path.join(ROOT, "README.md");
const START = "<!-- command-reference:start -->";
const END = "<!-- command-reference:end -->";

/** The commands, each with its subcommands, in the order the reference lists them. */
const COMMANDS = [
  ["run"],
  ["validate"],
  ["query"],
  ["render"],
  ["render-ddl"],
  ["connections", "list"],
  ["connections", "test"],
  ["format"],
  ["init"],
  ["patch", "fill-asset-dependencies"],
  ["patch", "fill-columns-from-db"],
  ["internal", "parse-pipeline"],
  ["internal", "parse-asset"],
  ["internal", "patch-asset"],
  ["internal", "patch-pipeline"],
  ["internal", "connections"],
  ["version"],
  ["completion"],
];

/** The options the help of every command shows, left out of each table. */
const EVERYWHERE = new Set(["--version", "--help"]);

async function helpOf(runCli, words) {
  let out = "";
  const stream = { write: (text) => (out += text), isTTY: false, columns: 1000 };
  await runCli([...words, "--help"], { stdout: stream, stderr: stream, env: {}, cwd: ROOT });
  return out;
}

/** `usage` (first line), and each option: its names as typed and its description, without yargs' [type] notes. */
function parseHelp(text) {
  const lines = text.split("\n");
  const usage = lines[0].trim();
  const blocks = [];
  let inOptions = false;
  for (const line of lines) {
    if (/^(Options|Positionals):$/.test(line)) {
      inOptions = line.startsWith("Options");
      continue;
    }
    if (!inOptions) continue;
    if (line.trim() === "") break;
    const match = /^\s+((?:-{1,2}[\w-]+(?:, )?)+)\s{2,}(.*)$/.exec(line);
    if (match) blocks.push({ names: match[1].split(", ").map((name) => name.trim()), text: match[2].trim() });
    // yargs wraps a long description onto lines of their own.
    else if (blocks.length > 0) blocks[blocks.length - 1].text += ` ${line.trim()}`;
  }
  const options = [];
  for (const { names, text } of blocks) {
    if (names.some((name) => EVERYWHERE.has(name))) continue;
    const description = text
      .replace(/\s*(\[(?:boolean|string|number|array|choices:[^\]]*|default:[^\]]*|required)\]\s*)+$/, "")
      .trim();
    const fallback = /\[default: ([^\]]*)\]\s*(\[[^\]]*\]\s*)*$/.exec(text)?.[1];
    options.push({ names, description, fallback });
  }
  return { usage, options };
}

const cell = (text) => text.replace(/\|/g, "\\|");

export async function commandReference() {
  const { runCli } = await import(pathToFileURL(path.join(ROOT, "apps/cli/dist/index.js")).href);
  const parts = [];
  for (const words of COMMANDS) {
    const { usage, options } = parseHelp(await helpOf(runCli, words));
    parts.push(`#### \`${usage.replace(/^bruin /, "bruin ")}\``, "");
    if (options.length === 0) {
      parts.push("No flags.", "");
      continue;
    }
    parts.push("| flag | meaning |", "| --- | --- |");
    for (const option of options) {
      const names = option.names.map((name) => `\`${name}\``).join(", ");
      const fallback =
        option.fallback !== undefined && option.fallback !== "false" ? ` (default ${option.fallback})` : "";
      parts.push(`| ${names} | ${cell(option.description)}${cell(fallback)} |`);
    }
    parts.push("");
  }
  return parts.join("\n").trimEnd();
}

async function main() {
  const mode = process.argv[2];
  const text = readFileSync(README, "utf8");
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start === -1 || end === -1) {
    console.error(`README.md: the markers ${START} and ${END} are missing`);
    process.exit(1);
  }
  const wanted = `${START}\n\n${await commandReference()}\n\n${END}`;
  const current = text.slice(start, end + END.length);
  if (mode === "--write") {
    writeFileSync(README, text.slice(0, start) + wanted + text.slice(end + END.length));
    console.log("command-reference: README.md updated");
    return;
  }
  if (current !== wanted) {
    console.error(
      "command-reference: README.md's command reference differs from the CLI's help; run `node tooling/lint/src/command-reference.mjs --write` after a build",
    );
    process.exit(1);
  }
  console.log("command-reference: README.md lists every command and flag the CLI declares");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
