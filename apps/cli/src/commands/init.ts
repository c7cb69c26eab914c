import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { repositoryRoot } from "../repository.js";
import { promisify } from "node:util";
import { Redactor } from "@bruin-ts/secrets-core";
import { isMap, isScalar, isSeq, parseDocument, type Document } from "yaml";
import { EXIT, UsageError } from "../errors.js";
import { TEMPLATE_CONNECTION, TEMPLATES, type InitTemplate } from "../init-templates.js";
import { Printer, type CliIO } from "../io.js";

export interface InitCommandOptions {
  template?: string | undefined;
  folder?: string | undefined;
  inPlace: boolean;
}

/** The templates, one a line, as the command lists them. */
function templateList(): string[] {
  const width = Math.max(...TEMPLATES.map((t) => t.name.length));
  return TEMPLATES.map((t) => `  ${t.name.padEnd(width)}  ${t.description}`);
}

const NEW_CONFIG = [
  "default_environment: default",
  "environments:",
  "  default:",
  "    connections:",
  "      duckdb:",
  `        - name: ${TEMPLATE_CONNECTION.name}`,
  `          path: ${TEMPLATE_CONNECTION.path}`,
  "",
].join("\n");

/**
 * Adds the template's DuckDB connection to an existing `.bruin.yml`, in its
 * default environment, unless a connection of that name is there already (of
 * any type): nothing of the file is replaced, and its comments stay.
 * Returns the new text, or undefined when nothing needs adding.
 */
function mergedConfig(text: string, file: string): string | undefined {
  const document: Document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new InitError(`${file} is not valid YAML (${document.errors[0]?.message.split("\n")[0] ?? ""}); not changed`);
  }
  if (document.contents === null) return NEW_CONFIG;
  if (!isMap(document.contents)) throw new InitError(`${file} is not a YAML mapping; not changed`);
  const environmentName = String(document.get("default_environment") ?? "default");
  const keys = ["environments", environmentName, "connections"];
  for (let depth = 1; depth <= keys.length; depth++) {
    const node: unknown = document.getIn(keys.slice(0, depth), true);
    if (node === undefined || node === null || (isScalar(node) && node.value === null)) {
      document.setIn(keys.slice(0, depth), document.createNode({}));
    } else if (!isMap(node)) {
      throw new InitError(`${file}: '${keys.slice(0, depth).join(".")}' is not a mapping; not changed`);
    }
  }
  const connections = document.getIn(keys, true);
  if (!isMap(connections)) return undefined;
  for (const pair of connections.items) {
    if (!isSeq(pair.value)) continue;
    for (const item of pair.value.items) {
      if (isMap(item) && item.get("name") === TEMPLATE_CONNECTION.name) return undefined;
    }
  }
  const entry = { name: TEMPLATE_CONNECTION.name, path: TEMPLATE_CONNECTION.path };
  const list = connections.get(TEMPLATE_CONNECTION.type, true);
  if (isSeq(list)) list.add(document.createNode(entry));
  else if (list === undefined || list === null) connections.set(TEMPLATE_CONNECTION.type, document.createNode([entry]));
  else throw new InitError(`${file}: the '${TEMPLATE_CONNECTION.type}' connections are not a list; not changed`);
  return document.toString({ indent: 2, indentSeq: true, lineWidth: 0 });
}

/** A problem that stops `init` before it writes anything: exit 1. */
class InitError extends Error {}

/** The pipeline folder's name, checked: a plain relative path that stays inside where it is created. */
function checkedFolder(folder: string): string {
  const normalized = path.normalize(folder);
  if (path.isAbsolute(folder) || normalized.split(path.sep).includes("..") || normalized === ".") {
    throw new UsageError(`the folder must be a new folder below the current one, got '${folder}'`);
  }
  return normalized;
}

/**
 * `bruin init [template] [folder]`: creates a pipeline from a template, and
 * the project's `.bruin.yml` (or adds the template's connection to it). In a
 * repository, the pipeline goes in the working directory and `.bruin.yml` at
 * the repository's root; outside one, a `bruin/` project folder is created
 * (the working directory itself with `--in-place`) and `git init` run in it.
 */
export async function initCommand(options: InitCommandOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: false });
  if (options.template === undefined) {
    if (process.stdin.isTTY && io.stdout.isTTY) {
      const picked = await pickTemplate(io);
      if (picked === undefined) return EXIT.usage;
      return initCommand({ ...options, template: picked }, io);
    }
    printer.err("Error: name a template: bruin init <template> [folder]. The templates:");
    for (const line of templateList()) printer.err(line);
    return EXIT.usage;
  }
  const template: InitTemplate | undefined = TEMPLATES.find((t) => t.name === options.template);
  if (!template) {
    printer.err(`Error: unknown template '${options.template}'. The templates:`);
    for (const line of templateList()) printer.err(line);
    return EXIT.usage;
  }
  const folder = checkedFolder(options.folder ?? template.defaultFolder);

  const repository = repositoryRoot(io.cwd);
  const projectRoot = repository ?? (options.inPlace ? io.cwd : path.join(io.cwd, "bruin"));
  const pipelineDir = repository ? path.join(io.cwd, folder) : path.join(projectRoot, folder);
  if (existsSync(pipelineDir)) {
    printer.err(`Error: '${path.relative(io.cwd, pipelineDir)}' already exists; pick another folder`);
    return EXIT.failed;
  }
  const configFile = path.join(projectRoot, ".bruin.yml");
  // Everything that can fail is checked before anything is written.
  let configText: string | undefined;
  let configNote: string;
  try {
    if (existsSync(configFile)) {
      configText = mergedConfig(await readFile(configFile, "utf8"), configFile);
      configNote =
        configText === undefined
          ? `Using existing .bruin.yml at ${configFile} (left unchanged: it already has '${TEMPLATE_CONNECTION.name}').`
          : `Using existing .bruin.yml at ${configFile} (added the '${TEMPLATE_CONNECTION.name}' connection).`;
    } else {
      configText = NEW_CONFIG;
      configNote = `Created .bruin.yml at ${configFile}.`;
    }
  } catch (error) {
    if (!(error instanceof InitError)) throw error;
    printer.err(`Error: ${error.message}`);
    return EXIT.failed;
  }

  const name = path.basename(folder);
  for (const [file, content] of Object.entries(template.files)) {
    const target = path.join(pipelineDir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content.replaceAll("{{name}}", name));
  }
  if (configText !== undefined) await writeFile(configFile, configText);

  if (!repository) {
    const gitignore = path.join(projectRoot, ".gitignore");
    // .bruin.yml holds credentials, and the DuckDB file is data: neither belongs in the repository.
    if (!existsSync(gitignore)) await writeFile(gitignore, ".bruin.yml\n*.db\n*.db.wal\nlogs/\n");
    try {
      await promisify(execFile)("git", ["init", "--quiet"], { cwd: projectRoot, env: { ...io.env } });
    } catch (error) {
      printer.err(`Warning: 'git init' failed in ${projectRoot}: ${(error as Error).message.split("\n")[0]}`);
    }
  }

  const shown = path.relative(io.cwd, pipelineDir) || ".";
  printer.out(`A new '${template.name}' pipeline created successfully in folder '${shown}'.`);
  printer.out("");
  printer.out(`Config:   ${configFile}`);
  printer.out(`Pipeline: ${pipelineDir}`);
  printer.out("");
  printer.out(configNote);
  if (repository && projectRoot !== io.cwd) {
    printer.out("This is your Git repository's root, so it may sit several levels above the pipeline folder.");
  }
  printer.out("");
  printer.out("Next steps:");
  printer.out(`  1. Run: bruin validate ${shown}`);
  printer.out(`  2. Run: bruin run ${shown}`);
  return EXIT.ok;
}

/** Asks for a template on a terminal: its number or name. */
async function pickTemplate(io: CliIO): Promise<string | undefined> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    io.stdout.write("Please select a template:\n\n");
    TEMPLATES.forEach((t, i) => io.stdout.write(`  ${i + 1}. ${t.name.padEnd(8)} ${t.description}\n`));
    const answer = (await rl.question(`\nTemplate [1-${TEMPLATES.length} or name, default 1]: `)).trim();
    if (answer === "") return TEMPLATES[0]?.name;
    const byNumber = TEMPLATES[Number(answer) - 1];
    const picked = /^\d+$/.test(answer) ? byNumber : TEMPLATES.find((t) => t.name === answer);
    if (!picked) io.stderr.write(`Error: no template '${answer}'\n`);
    return picked?.name;
  } finally {
    rl.close();
  }
}
