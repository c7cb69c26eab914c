import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { parseSimpleYaml } from "./simple-yaml.js";

const byYaml = (text: string): unknown => parseDocument(text, { prettyErrors: false }).toJS();

describe("parseSimpleYaml", () => {
  it("reads a typical asset header exactly as yaml does", () => {
    const header = `
name: analytics.daily_orders
type: duckdb.sql
# the upstream tables
depends:
  - raw.orders
  - raw.customers
materialization:
  type: table
  strategy: delete+insert
  incremental_key: order_date
owner: data team
tags:
- finance
- daily
columns:
  - name: id
    type: integer
    primary_key: true
    checks:
      - name: not_null
      - name: unique
  - name: amount
    checks:
    - name: positive
  -   name: spaced
      nullable: false
custom_checks:
  - name: row count
    value: 10
    query: SELECT count(*) FROM analytics.daily_orders
empty_value:
tilde: ~
negative: -3
`;
    const fast = parseSimpleYaml(header);
    expect(fast).toBeDefined();
    expect(fast).toEqual(byYaml(header));
    expect(Object.keys(fast as object)).toEqual(Object.keys(byYaml(header) as object));
  });

  it("reads CRLF lines and an indented document", () => {
    const text = "  name: a\r\n  depends:\r\n    - b\r\n";
    expect(parseSimpleYaml(text)).toEqual({ name: "a", depends: ["b"] });
    expect(parseSimpleYaml(text)).toEqual(byYaml(text));
  });

  it.each([
    ["a quoted value", 'name: "a"'],
    ["a single-quoted value", "name: 'a'"],
    ["an inline comment", "name: a # note"],
    ["a flow sequence", "depends: [a, b]"],
    ["a flow mapping", "m: {a: 1}"],
    ["a block scalar", "query: |\n  SELECT 1"],
    ["a folded scalar", "description: >\n  text"],
    ["a plain scalar over two lines", "description: first\n  second"],
    ["an anchor", "a: &x b"],
    ["an alias", "a: *x"],
    ["a tag", "a: !!str 1"],
    ["a duplicate key", "a: 1\na: 2"],
    ["a tab", "a:\n\t- b"],
    ["a document marker", "---\na: 1"],
    ["a colon in a value", "url: http://x"],
    ["a key without a space after the colon", "a:b"],
    ["a float", "ratio: 1.5"],
    ["a leading zero", "code: 007"],
    ["a capitalised boolean", "flag: True"],
    ["an upper-case null", "value: NULL"],
    ["a date", "start: 2024-01-01"],
    ["a quoted key", '"a b": 1'],
    ["a boolean key", "true: 1"],
    ["a __proto__ key", "__proto__: 1"],
    ["a top-level scalar", "just words"],
    ["a top-level sequence item after a mapping", "a: 1\n- b"],
    ["a line indented between two levels", "a:\n    b: 1\n  c: 2"],
    ["a nested sequence on one line", "- - a"],
    ["an empty document", "# only a comment\n"],
    ["a template", "name: {{ var }}"],
  ])("leaves %s to yaml", (_case, text) => {
    expect(parseSimpleYaml(text)).toBeUndefined();
  });

  it("agrees with yaml on generated documents, and reads the ones in its subset", () => {
    const random = seeded(20261128);
    let read = 0;
    const runs = 3000;
    for (let run = 0; run < runs; run++) {
      const text = render(randomMapping(random, 0), random, 0);
      const fast = parseSimpleYaml(text);
      if (fast === undefined) continue;
      read += 1;
      // On a mismatch the text is in the failure message.
      expect({ text, value: fast }).toEqual({ text, value: byYaml(text) });
    }
    // Most generated documents are in the subset; the rest exercise the fallback.
    expect(read).toBeGreaterThan(runs / 4);
    expect(read).toBeLessThan(runs);
  });
});

type Random = () => number;
type Node = { kind: "map"; entries: Array<[string, Node]> } | { kind: "seq"; items: Node[] } | { kind: "scalar"; text: string };

function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Scalars in the subset, and just outside it. */
const SCALARS = [
  "name", "duckdb.sql", "raw.orders", "data team", "delete+insert", "a_b-c", "/tmp/x.db", "$HOME", "yes", "no", "on",
  "SELECT count(*) FROM t", "it's", "a [b]", "x, y", "a{b}", "a|b", "a>b", "a%b", "a@b", "a`b", "a\\b", "a!b", "a&b", "x?y", "a - b", "a  b",
  "true", "false", "null", "~", "", "0", "7", "-3", "123456789012345",
];
const OUTSIDE = [
  "True", "NULL", "1.5", "007", "-0", "2024-01-01", "1e3", ".inf", "1234567890123456",
  "a: b", "a #b", "'q'", '"q"', "[a]", "{a: 1}", "&x", "*x", "!t", "|", ">", "%x", "@x", "`x`", ",a", "?x", "- a", "-a",
];
const KEYS = ["name", "type", "depends", "columns", "checks", "value", "x.y", "a-b", "a/b", "Key", "_k"];
const OUTSIDE_KEYS = ["true", "null", "a b", "1", "k:", "'q'"];

function randomScalar(random: Random): Node {
  return { kind: "scalar", text: random() < 0.03 ? pick(random, OUTSIDE) : pick(random, SCALARS) };
}

function randomKey(random: Random): string {
  return random() < 0.02 ? pick(random, OUTSIDE_KEYS) : pick(random, KEYS);
}

function randomNode(random: Random, depth: number): Node {
  const roll = random();
  if (depth >= 3 || roll < 0.55) return randomScalar(random);
  return roll < 0.8 ? randomMapping(random, depth + 1) : randomSequence(random, depth + 1);
}

function randomMapping(random: Random, depth: number): Node {
  const count = 1 + Math.floor(random() * 4);
  return { kind: "map", entries: Array.from({ length: count }, () => [randomKey(random), randomNode(random, depth)] as [string, Node]) };
}

function randomSequence(random: Random, depth: number): Node {
  const count = 1 + Math.floor(random() * 3);
  return { kind: "seq", items: Array.from({ length: count }, () => randomNode(random, depth)) };
}

/** Block-style YAML with varied indentation, compact sequences, comments and blank lines. */
function render(node: Node, random: Random, indent: number): string {
  const pad = " ".repeat(indent);
  const step = pick(random, [2, 2, 4]);
  const noise = () => (random() < 0.05 ? `${pad}# note\n` : random() < 0.05 ? "\n" : "");
  if (node.kind === "scalar") return `${pad}${node.text}\n`;
  if (node.kind === "map") {
    return node.entries
      .map(([key, value]) => {
        if (value.kind === "scalar") return `${noise()}${pad}${key}:${value.text === "" ? "" : ` ${value.text}`}\n`;
        // Sequences sometimes sit at the key's own indent, as YAML allows.
        const childIndent = value.kind === "seq" && random() < 0.3 ? indent : indent + step;
        return `${noise()}${pad}${key}:\n${render(value, random, childIndent)}`;
      })
      .join("");
  }
  return node.items
    .map((item) => {
      if (item.kind === "scalar") return `${pad}-${item.text === "" ? "" : ` ${item.text}`}\n`;
      if (item.kind === "map" && random() < 0.7) {
        // `- key: value` with the rest of the mapping lined up under the key.
        const inner = render(item, random, indent + 2);
        return `${pad}- ${inner.trimStart()}`;
      }
      return `${pad}-\n${render(item, random, indent + step)}`;
    })
    .join("");
}
