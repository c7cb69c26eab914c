import type { z } from "zod";

/**
 * Turns zod issues into short phrases ("expected a number", "is required").
 * zod's own messages are never used: some of them quote the received value,
 * which may be a secret. Only `custom` issues keep their message, and those
 * are written by our schemas.
 */

type Issue = z.core.$ZodIssue;

const ARTICLES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "a boolean",
  object: "an object",
  record: "an object",
  array: "a list",
};

export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text;
}

export function describeIssue(issue: Issue, input: unknown): string {
  switch (issue.code) {
    case "invalid_type": {
      const given = valueAt(input, issue.path);
      if (given === undefined || given === null) return "is required";
      return `expected ${ARTICLES[issue.expected] ?? issue.expected}`;
    }
    case "invalid_value":
      return `expected one of: ${issue.values.map(String).join(", ")}`;
    case "too_small":
      if (issue.origin === "string" && Number(issue.minimum) === 1) {
        return valueAt(input, issue.path) === undefined ? "is required" : "must not be empty";
      }
      return `must be at least ${String(issue.minimum)}`;
    case "too_big":
      return `must be at most ${String(issue.maximum)}`;
    case "invalid_format":
      return `is not a valid ${issue.format}`;
    case "invalid_union": {
      const expected = new Set<string>();
      for (const branch of issue.errors) {
        for (const inner of branch) {
          if (inner.code === "invalid_type") expected.add(ARTICLES[inner.expected] ?? inner.expected);
        }
      }
      return expected.size > 0 ? `expected ${[...expected].join(" or ")}` : "has an invalid value";
    }
    case "custom":
      return issue.message;
    default:
      return "has an invalid value";
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}
