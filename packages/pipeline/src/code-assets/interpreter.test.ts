import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../test-support/tree.js";
import { chooseInterpreter, findRequirements, uvCommand } from "./interpreter.js";

/** A folder of fake executables, for PATH. */
function bin(...names: string[]): string {
  const dir = scratchDir("bruin-bin-");
  for (const name of names) {
    writeFileSync(path.join(dir, name), "#!/bin/sh\n");
    chmodSync(path.join(dir, name), 0o755);
  }
  return dir;
}

describe("the interpreter of a code asset", () => {
  it("is uv when uv is on PATH, with the image's Python version", () => {
    const dir = bin("uv", "python3", "python3.11");
    expect(chooseInterpreter({ language: "python", image: "python:3.11" }, dir)).toEqual({
      interpreter: { kind: "uv", command: path.join(dir, "uv"), pythonVersion: "3.11" },
    });
    expect(chooseInterpreter({ language: "python" }, dir)).toEqual({
      interpreter: { kind: "uv", command: path.join(dir, "uv") },
    });
  });

  it("is python3.X for image python:3.X when on PATH, else python3", () => {
    const versions = bin("python3.12", "python3");
    const plain = bin("python3");
    expect(chooseInterpreter({ language: "python", image: "python:3.12" }, `${plain}:${versions}`)).toEqual({
      interpreter: { kind: "python", command: path.join(versions, "python3.12") },
    });
    expect(chooseInterpreter({ language: "python", image: "python:3.9" }, `${plain}:${versions}`)).toEqual({
      interpreter: { kind: "python", command: path.join(plain, "python3") },
    });
  });

  it("skips files that are not executable and names what it looked for when nothing is found", () => {
    const dir = scratchDir("bruin-bin-");
    writeFileSync(path.join(dir, "python3"), "not executable");
    expect(chooseInterpreter({ language: "python", image: "python:3.11" }, dir)).toEqual({
      missing: "no Python interpreter found on PATH (looked for python3.11, uv, python3)",
    });
    expect(chooseInterpreter({ language: "r" }, dir)).toEqual({ missing: "Rscript is not on PATH" });
    expect(chooseInterpreter({ language: "r" }, bin("Rscript"))).toMatchObject({ interpreter: { kind: "rscript" } });
  });

  it("builds the uv command line with the version and requirements", () => {
    expect(
      uvCommand({ kind: "uv", command: "/bin/uv", pythonVersion: "3.11" }, "/p/a.py", {
        requirements: "/p/requirements.txt",
      }),
    ).toEqual({
      command: "/bin/uv",
      args: [
        "run",
        "--no-project",
        "--python",
        "3.11",
        "--with-requirements",
        "/p/requirements.txt",
        "python",
        "-u",
        "/p/a.py",
      ],
    });
    expect(uvCommand({ kind: "uv", command: "/bin/uv" }, "/runner.py", { args: ["/p/a.py"] })).toEqual({
      command: "/bin/uv",
      args: ["run", "python", "-u", "/runner.py", "/p/a.py"],
    });
  });

  it("finds the nearest requirements.txt walking up to the repository root, and none above it", () => {
    const root = scratchDir("bruin-req-");
    mkdirSync(path.join(root, "repo/p/assets/deep"), { recursive: true });
    writeFileSync(path.join(root, "requirements.txt"), "outside\n");
    writeFileSync(path.join(root, "repo/p/requirements.txt"), "requests\n");
    expect(findRequirements(path.join(root, "repo/p/assets/deep/a.py"), path.join(root, "repo"))).toBe(
      path.join(root, "repo/p/requirements.txt"),
    );
    writeFileSync(path.join(root, "repo/p/assets/deep/requirements.txt"), "x\n");
    expect(findRequirements(path.join(root, "repo/p/assets/deep/a.py"), path.join(root, "repo"))).toBe(
      path.join(root, "repo/p/assets/deep/requirements.txt"),
    );
    mkdirSync(path.join(root, "repo/q"));
    expect(findRequirements(path.join(root, "repo/q/a.py"), path.join(root, "repo"))).toBeUndefined();
  });
});
