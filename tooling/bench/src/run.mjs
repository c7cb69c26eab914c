#!/usr/bin/env node
// `pnpm bench`: every figure of the Performance section of the README, each
// the median of several runs, with its target beside it. Needs a build first
// (the root script builds). Pass section names to run only some of them:
//   node tooling/bench/src/run.mjs startup secrets
import os from "node:os";
import { benchLoadedModules } from "./modules.mjs";
import { benchPythonRows } from "./python-rows.mjs";
import { benchQuickstart } from "./quickstart.mjs";
import { benchScale } from "./scale/bench-scale.mjs";
import { benchSecretResolution } from "./secrets/bench-secrets.mjs";
import { benchStartup } from "./startup.mjs";
import { renderTable } from "./table.mjs";

const SECTIONS = {
  secrets: {
    title: "1. Secret resolution, Infisical emulator, +50 ms and +250 ms per request (5 runs)",
    run: async () => ({ rows: await benchSecretResolution({ runs: 5, latencies: [50, 250] }) }),
  },
  startup: {
    title: "2. Start-up (15 runs, interleaved)",
    run: async () => ({ rows: await benchStartup({ runs: 15 }) }),
  },
  modules: {
    title: "3. What a run loads",
    run: () => benchLoadedModules(),
  },
  scale: {
    title: "4. Scale (7 paired runs)",
    run: async () => ({ rows: await benchScale() }),
  },
  quickstart: {
    title: "5. Quick start (5 runs)",
    run: async () => ({ rows: await benchQuickstart({ runs: 5 }) }),
  },
  python: {
    title: "6. Python asset rows (3 runs)",
    run: async () => ({ rows: await benchPythonRows({ runs: 3 }) }),
  },
};

const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!(name in SECTIONS)) {
    console.error(`unknown section '${name}'; sections: ${Object.keys(SECTIONS).join(", ")}`);
    process.exit(2);
  }
}

const started = Date.now();
const sections = [];
const notes = [];
for (const [name, section] of Object.entries(SECTIONS)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  process.stderr.write(`bench: ${name}...\n`);
  const result = await section.run();
  sections.push({ title: section.title, rows: result.rows });
  notes.push(...(result.notes ?? []));
}

const cpus = os.cpus();
console.log(
  `\nNode ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? "CPU"}, load average ${os
    .loadavg()
    .map((load) => load.toFixed(1))
    .join(" ")}\n`,
);
console.log(renderTable(sections));
for (const note of notes) console.log(`\n${note}`);
const missed = sections.flatMap((section) => section.rows).filter((row) => row.met === false);
console.log(
  `\n${missed.length === 0 ? "Every target met" : `${missed.length} target(s) missed`} (${Math.round((Date.now() - started) / 1000)} s).`,
);
