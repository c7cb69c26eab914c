#!/usr/bin/env node
import {
  runCli
} from "./chunk-OSXTZ2SE.js";
import "./chunk-EBIUNHAN.js";

// src/bin.ts
var code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd()
});
process.exitCode = code;
