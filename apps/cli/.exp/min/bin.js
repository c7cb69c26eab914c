#!/usr/bin/env node
import{a as s}from"./chunk-OAYB4VBB.js";import"./chunk-UR7CLJBH.js";var e=await s(process.argv.slice(2),{stdout:process.stdout,stderr:process.stderr,env:process.env,cwd:process.cwd()});process.exitCode=e;
