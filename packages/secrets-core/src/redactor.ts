/**
 * Masks registered secret values in any text, in every form a value takes on
 * its way to a screen (see `maskedForms`).
 *
 * Matching is one pass over the text, with no regular expression. A form
 * shorter than ANCHOR characters is matched by an Aho–Corasick automaton. A
 * longer one — a form of a 1 MiB value can be several MiB long — is found by
 * its anchor, its first ANCHOR characters, through a rolling hash of the text
 * and a small bit filter, and confirmed with a polynomial hash of the whole
 * form kept from registration: neither the forms nor an automaton over them
 * (one node per character of every form, hundreds of MiB for a few large
 * values) are kept. Equal hashes can only ever mask more than the secret,
 * never less: a form that is present always has the same hash.
 *
 * The work is linear in the text: one step per character, and at most a few
 * hash comparisons, in constant time, per place where an anchor matches.
 * Nothing here builds a message from a value, and `redact` throws no error of
 * its own.
 */
import { randomInt } from "node:crypto";

export const MASK = "****";

/** Values shorter than this are not registered: masking them would mangle ordinary text. */
export const MIN_SECRET_LENGTH = 4;

/** Forms from this length on are found by their first ANCHOR characters, then confirmed by hash; shorter ones exactly. */
const ANCHOR = 16;
/** Long forms are checked on a hash of their last TAIL characters before the whole form is hashed. */
const TAIL = 16;
/** The anchor filter has 2^FILTER_BITS bits (128 KiB). */
const FILTER_BITS = 20;
/** Nodes with a dense row of transitions for ASCII characters (4 MiB). */
const DENSE_ROWS = 8192;
/** A base64 slice of a value at an unaligned offset is registered from this length on. */
const MIN_BASE64_SLICE = 6;

export class Redactor {
  readonly #values = new Set<string>();
  readonly #matcher = new FormMatcher();

  /** Registers a value in all its forms; returns true when it will be masked (it is at least MIN_SECRET_LENGTH long). */
  add(value: unknown): boolean {
    if (typeof value !== "string" && typeof value !== "number") return false;
    const text = String(value);
    if (text.length < MIN_SECRET_LENGTH) return false;
    if (this.#values.has(text)) return true;
    this.#values.add(text);
    for (const form of maskedForms(text)) this.#matcher.add(form);
    return true;
  }

  /** Registers every value of `details` whose key is listed in `fields` (nested objects included). */
  addFields(details: Record<string, unknown>, fields: readonly string[]): void {
    for (const field of fields) {
      const value = details[field];
      // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent: add() refuses undefined and addAll() finds no leaf in null
      if (value === undefined || value === null) continue;
      if (typeof value === "object") this.addAll(value);
      else this.add(value);
    }
  }

  /**
   * Registers every string leaf of a value (for values that are secret as a
   * whole). Returns false when a non-empty string or number leaf was too short
   * to be masked.
   */
  addAll(value: unknown): boolean {
    if (typeof value === "string" || typeof value === "number") {
      const masked = this.add(value) || String(value).length === 0;
      // A JSON document (a service account, say) is secret as a whole and in its parts.
      if (typeof value === "string" && /^\s*[{[]/.test(value)) {
        try {
          this.addAll(JSON.parse(value));
        } catch {
          /* not JSON: the raw string is registered already */
        }
      }
      return masked;
    }
    let masked = true;
    if (Array.isArray(value)) for (const item of value) masked = this.addAll(item) && masked;
    else if (value && typeof value === "object")
      for (const item of Object.values(value)) masked = this.addAll(item) && masked;
    return masked;
  }

  /** The number of forms registered, over all distinct values. */
  get size(): number {
    return this.#matcher.size;
  }

  redact(text: string): string {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent: a shortcut; mask() returns such a text unchanged
    if (this.#matcher.size === 0 || text.length === 0) return text;
    return this.#matcher.mask(text);
  }

  /** Redacts any value: strings directly, errors by message, other values via JSON. */
  redactUnknown(value: unknown): string {
    if (value instanceof Error) return this.redact(value.message);
    if (typeof value === "string") return this.redact(value);
    try {
      return this.redact(JSON.stringify(value) ?? String(value));
    } catch {
      return this.redact(String(value));
    }
  }
}

/**
 * Every form of `value` that is masked, each at least MIN_SECRET_LENGTH long:
 * - raw, and with its line breaks as `\n`, as `\r\n`, as single spaces, and
 *   collapsed with the whitespace around them into one space (as drivers'
 *   messages are flattened), also trimmed; each line of a multi-line value
 *   (trimmed, and JSON-escaped once and twice) on its own;
 * - each of those JSON-escaped once and twice, CSV-quoted (`"` doubled) and
 *   SQL-quoted (`'` doubled);
 * - percent-encoded as `encodeURIComponent` does, strictly per RFC 3986
 *   (`!'()*` encoded too), as Python's `quote` does (`/` kept), and as form
 *   encoding does (space as `+`), each with upper- and lower-case hex;
 *   always from the value's UTF-8 bytes;
 * - base64 and base64url, padded and unpadded, and the characters of each
 *   that depend on the value alone when it starts 1 or 2 bytes into the
 *   encoded data (a password inside an HTTP Basic credential, say).
 */
export function maskedForms(value: string): string[] {
  const forms = new Set<string>();
  for (const text of lineVariants(value)) {
    forms.add(text);
    const json = JSON.stringify(text).slice(1, -1);
    forms.add(json);
    forms.add(JSON.stringify(json).slice(1, -1));
    forms.add(text.replaceAll('"', '""'));
    forms.add(text.replaceAll("'", "''"));
  }
  // Each line on its own: an error that quotes the line of a statement where a multi-line value starts shows its first line only.
  const lines = value.split(/\r\n|\r|\n/);
  if (lines.length > 1) {
    for (const line of lines) {
      const text = line.trim();
      if (text.length < MIN_SECRET_LENGTH) continue;
      const json = JSON.stringify(text).slice(1, -1);
      forms.add(text).add(json).add(JSON.stringify(json).slice(1, -1));
    }
  }
  const bytes = Buffer.from(value, "utf8");
  for (const keep of [URI_COMPONENT, RFC3986, PYTHON_QUOTE, FORM]) {
    forms.add(percentEncode(bytes, keep, UPPER_HEX));
    forms.add(percentEncode(bytes, keep, LOWER_HEX));
  }
  const base64 = bytes.toString("base64");
  const unpadded = base64.replace(/=+$/, "");
  for (const form of [base64, unpadded]) {
    forms.add(form);
    forms.add(base64Url(form));
  }
  const slices = new Set<string>();
  for (const offset of [0, 1, 2]) {
    const encoded = offset === 0 ? base64 : Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    // Character i holds bits 6i..6i+5 of the data: keep those made of the value's bits only.
    const slice = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    if (slice.length >= MIN_BASE64_SLICE) slices.add(slice).add(base64Url(slice));
  }
  const result: string[] = [];
  for (const form of forms) if (form.length >= MIN_SECRET_LENGTH) result.push(form);
  for (const slice of slices) if (!forms.has(slice)) result.push(slice);
  return result;
}

function lineVariants(value: string): string[] {
  if (!/[\r\n]/.test(value)) return [value];
  const lf = value.replace(/\r\n?/g, "\n");
  const collapsed = value.replace(/\s*[\r\n]\s*/g, " ");
  // Exactly what a driver message flattened with /\s*\n\s*/ holds (a lone \r stays).
  const flattened = value.replace(/\s*\n\s*/g, " ");
  return [
    ...new Set([
      value,
      lf,
      lf.replace(/\n/g, "\r\n"),
      value.replace(/\r\n|\r|\n/g, " "),
      collapsed,
      collapsed.trim(),
      flattened,
      flattened.trim(),
    ]),
  ];
}

function base64Url(base64: string): string {
  return base64.replaceAll("+", "-").replaceAll("/", "_");
}

/** The bytes each percent-encoding leaves as they are (1), and encodes as `+` (2). */
function keepTable(unreserved: string, plusForSpace = false): Uint8Array {
  const table = new Uint8Array(256);
  const alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (const char of alphanumeric + unreserved) table[char.charCodeAt(0)] = 1;
  if (plusForSpace) table[0x20] = 2;
  return table;
}

const URI_COMPONENT = keepTable("-_.!~*'()");
const RFC3986 = keepTable("-_.~");
const PYTHON_QUOTE = keepTable("-_.~/");
const FORM = keepTable("*-._", true);
const UPPER_HEX = "0123456789ABCDEF";
const LOWER_HEX = "0123456789abcdef";

function percentEncode(bytes: Buffer, keep: Uint8Array, hex: string): string {
  const out = Buffer.allocUnsafe(bytes.length * 3);
  const digits = Buffer.from(hex, "latin1");
  let at = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    const mode = keep[byte];
    if (mode === 1) out[at++] = byte;
    else if (mode === 2) out[at++] = 0x2b;
    else {
      out[at++] = 0x25;
      out[at++] = digits[byte >> 4]!;
      out[at++] = digits[byte & 15]!;
    }
  }
  return out.toString("latin1", 0, at);
}

/**
 * A multi-pattern matcher over registered forms, in one pass over the text:
 * - a form shorter than ANCHOR characters is matched exactly by an
 *   Aho–Corasick automaton;
 * - a longer form is found by its anchor, its first ANCHOR characters: a
 *   rolling hash of the last ANCHOR characters of the text is looked up in a
 *   bit filter (it fits in a processor cache, unlike an automaton over
 *   thousands of random anchors), then in the table of anchor hashes; the
 *   candidate is then checked on a hash of the form's last TAIL characters,
 *   and confirmed by the two hashes of the whole form.
 */
class FormMatcher {
  // Per form.
  readonly #length: number[] = [];
  readonly #hash1: number[] = [];
  readonly #hash2: number[] = [];
  readonly #power1: number[] = [];
  readonly #power2: number[] = [];
  /** A hash of each long form's last TAIL characters: most places where only the anchor matches fail on it at once. */
  readonly #tail: number[] = [];
  /** Long forms by the hash of their anchor. */
  readonly #anchors = new Map<number, number[]>();
  /** One bit per anchor hash (mixed, top FILTER_BITS bits). */
  readonly #filter = new Int32Array(1 << (FILTER_BITS - 5));
  // The automaton of short forms, one node per character; node 0 is the root.
  readonly #fail: number[] = [0];
  readonly #dict: number[] = [0];
  readonly #output: Array<number[] | undefined> = [undefined];
  readonly #char: number[] = [0];
  readonly #children: number[][] = [[]];
  /** Transitions from the root, by character (0: none). */
  readonly #rootNext = new Int32Array(65536);
  /** 1 for a character that appears in some short form: any other one sends the automaton back to the root. */
  readonly #inShort = new Uint8Array(65536);
  /** Transitions from other nodes: an open-addressing table keyed by (node, character). */
  #slotNode = new Int32Array(1024).fill(-1);
  #slotChar = new Uint16Array(1024);
  #slotTarget = new Int32Array(1024);
  #slotShift = 32 - 10;
  #slots = 0;
  #dirty = false;
  /** The dense row of a node (-1: none), and the rows: 128 next states each. */
  #rowOf = new Int32Array(1);
  #dense = new Int32Array(128);
  // Random odd multipliers, so no text can be built to collide with a form on purpose.
  readonly #base1 = randomInt(1 << 20, 2 ** 31) | 1;
  readonly #base2 = randomInt(1 << 20, 2 ** 31) | 1;
  /** base1^ANCHOR: what the character leaving the rolling window weighs. */
  readonly #leaving = power(this.#base1, ANCHOR);

  get size(): number {
    return this.#length.length;
  }

  add(form: string): void {
    const [hash1, hash2] = hashes(form, 0, form.length, this.#base1, this.#base2);
    const id = this.#length.length;
    this.#length.push(form.length);
    this.#hash1.push(hash1);
    this.#hash2.push(hash2);
    this.#power1.push(power(this.#base1, form.length));
    this.#power2.push(power(this.#base2, form.length));
    // Stryker disable next-line EqualityOperator: equivalent: a form of exactly ANCHOR characters is matched exactly either way
    if (form.length >= ANCHOR) {
      this.#tail.push(hashes(form, form.length - TAIL, form.length, this.#base1, this.#base2)[0]);
      const anchor = hashes(form, 0, ANCHOR, this.#base1, this.#base2)[0];
      const forms = this.#anchors.get(anchor);
      if (forms) forms.push(id);
      else this.#anchors.set(anchor, [id]);
      const bit = filterBit(anchor);
      this.#filter[bit >>> 5]! |= 1 << (bit & 31);
      return;
    }
    this.#tail.push(0);
    let node = 0;
    for (let i = 0; i < form.length; i++) {
      const char = form.charCodeAt(i);
      this.#inShort[char] = 1;
      let next = node === 0 ? this.#rootNext[char]! : this.#get(node, char);
      if (next <= 0) {
        next = this.#fail.length;
        this.#fail.push(0);
        this.#dict.push(0);
        this.#output.push(undefined);
        this.#char.push(char);
        this.#children.push([]);
        this.#children[node]!.push(next);
        if (node === 0) this.#rootNext[char] = next;
        else this.#set(node, char, next);
      }
      node = next;
    }
    (this.#output[node] ??= []).push(id);
    this.#dirty = true;
  }

  mask(text: string): string {
    // Stryker disable next-line ConditionalExpression: equivalent: linking again gives the same links
    if (this.#dirty) this.#link();
    const n = text.length;
    const starts: number[] = [];
    const ends: number[] = [];
    const candidateStart: number[] = [];
    const candidateForm: number[] = [];
    const lengths = this.#length;
    const base = this.#base1;
    const leaving = this.#leaving;
    const filter = this.#filter;
    const anchors = this.#anchors;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: shortcuts; without long forms no filter bit is set
    const longForms = anchors.size > 0;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: shortcuts; without short forms every character resets to the root
    const shortForms = this.#fail.length > 1;
    const rootNext = this.#rootNext;
    const fail = this.#fail;
    const dict = this.#dict;
    const output = this.#output;
    const inShort = this.#inShort;
    // The transition table, inlined: this loop runs once per character of the text.
    const slotNode = this.#slotNode;
    const slotChar = this.#slotChar;
    const slotTarget = this.#slotTarget;
    const slotMask = slotNode.length - 1;
    const shift = this.#slotShift;
    const rowOf = this.#rowOf;
    const dense = this.#dense;
    let rolling = 0;
    let state = 0;
    for (let i = 0; i < n; i++) {
      const char = text.charCodeAt(i);
      // Stryker disable next-line ConditionalExpression: equivalent: a shortcut; without long forms no filter bit is set
      if (longForms) {
        rolling = (Math.imul(rolling, base) + char) | 0;
        // Stryker disable next-line ConditionalExpression: equivalent: before ANCHOR characters charCodeAt() gives NaN, and Math.imul(NaN, x) is 0
        if (i >= ANCHOR) rolling = (rolling - Math.imul(text.charCodeAt(i - ANCHOR), leaving)) | 0;
        const bit = Math.imul(rolling, 0x9e3779b1) >>> (32 - FILTER_BITS);
        if ((filter[bit >>> 5]! & (1 << (bit & 31))) !== 0 && i >= ANCHOR - 1) {
          const forms = anchors.get(rolling);
          if (forms) {
            const start = i + 1 - ANCHOR;
            for (const form of forms) {
              if (start + lengths[form]! <= n) {
                candidateStart.push(start);
                candidateForm.push(form);
              }
            }
          }
        }
      }
      // Stryker disable next-line ConditionalExpression: equivalent: a shortcut; without short forms every character resets to the root
      if (!shortForms) continue;
      // Stryker disable next-line ConditionalExpression,BlockStatement: equivalent: a shortcut; the failure links lead a character of no short form to the root too
      if (inShort[char] === 0) {
        state = 0;
        continue;
      }
      let next = 0;
      while (state !== 0) {
        if (char < 128) {
          const row = rowOf[state]!;
          if (row >= 0) {
            next = dense[row * 128 + char]!;
            break;
          }
        }
        let slot = (Math.imul(state, 0x9e3779b1) ^ Math.imul(char + 1, 0x85ebca77)) >>> shift;
        let at = slotNode[slot]!;
        while (at !== -1 && (at !== state || slotChar[slot] !== char)) {
          slot = (slot + 1) & slotMask;
          at = slotNode[slot]!;
        }
        if (at !== -1) {
          next = slotTarget[slot]!;
          break;
        }
        state = fail[state]!;
      }
      state = state !== 0 ? next : rootNext[char]!;
      if (state === 0) continue;
      let node = output[state] ? state : dict[state]!;
      while (node !== 0) {
        for (const form of output[node]!) {
          starts.push(i + 1 - lengths[form]!);
          ends.push(i + 1);
        }
        node = dict[node]!;
      }
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: a shortcut; confirming no candidate adds no range
    if (candidateStart.length > 0) this.#confirm(text, candidateStart, candidateForm, starts, ends);
    // Stryker disable next-line ConditionalExpression: equivalent: a shortcut; replaceRanges() without ranges gives the text back
    return starts.length === 0 ? text : replaceRanges(text, starts, ends);
  }

  /** Keeps the candidates whose whole form is there (same hashes), as ranges to mask. */
  #confirm(text: string, candidateStart: number[], candidateForm: number[], starts: number[], ends: number[]): void {
    const n = text.length;
    const base1 = this.#base1;
    const base2 = this.#base2;
    // A place where only the anchor matches almost always fails on the form's last characters.
    const kept: number[] = [];
    let chars = 0;
    for (let k = 0; k < candidateStart.length; k++) {
      const form = candidateForm[k]!;
      const end = candidateStart[k]! + this.#length[form]!;
      if (hashes(text, end - TAIL, end, base1, base2)[0] !== this.#tail[form]) continue;
      kept.push(k);
      chars += this.#length[form]!;
    }
    // Hashing each candidate's range costs its length; past twice the text, prefix hashes are cheaper.
    let prefix1: Int32Array | undefined;
    let prefix2: Int32Array | undefined;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator,BlockStatement: equivalent: chooses the cheaper of two ways to the same hashes
    if (chars > 2 * n + 4096) {
      prefix1 = new Int32Array(n + 1);
      prefix2 = new Int32Array(n + 1);
      let h1 = 0;
      let h2 = 0;
      for (let i = 0; i < n; i++) {
        const char = text.charCodeAt(i);
        h1 = (Math.imul(h1, base1) + char) | 0;
        h2 = (Math.imul(h2, base2) + char) | 0;
        prefix1[i + 1] = h1;
        prefix2[i + 1] = h2;
      }
    }
    for (const k of kept) {
      const start = candidateStart[k]!;
      const form = candidateForm[k]!;
      const end = start + this.#length[form]!;
      let h1: number;
      let h2: number;
      // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent: the two prefix tables are made together, and either way gives the same hashes
      if (prefix1 && prefix2) {
        h1 = (prefix1[end]! - Math.imul(prefix1[start]!, this.#power1[form]!)) | 0;
        h2 = (prefix2[end]! - Math.imul(prefix2[start]!, this.#power2[form]!)) | 0;
      } else {
        [h1, h2] = hashes(text, start, end, base1, base2);
      }
      if (h1 === this.#hash1[form] && h2 === this.#hash2[form]) {
        starts.push(start);
        ends.push(end);
      }
    }
  }

  /** Failure and dictionary links, breadth first, after short forms were added. */
  #link(): void {
    const queue: number[] = [];
    for (const child of this.#children[0]!) {
      this.#fail[child] = 0;
      this.#dict[child] = 0;
      queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      for (const child of this.#children[node]!) {
        const char = this.#char[child]!;
        let state = this.#fail[node]!;
        let next = 0;
        while (state !== 0) {
          next = this.#get(state, char);
          if (next > 0) break;
          state = this.#fail[state]!;
        }
        const target = state !== 0 ? next : this.#rootNext[char]!;
        this.#fail[child] = target;
        this.#dict[child] = this.#output[target] ? target : this.#dict[target]!;
        queue.push(child);
      }
    }
    // Dense rows for the shallowest nodes (breadth-first order, so a node's failure has its row too):
    // the automaton's complete step for an ASCII character, with no failure links to follow.
    const rows = Math.min(1 + queue.length, DENSE_ROWS);
    this.#rowOf = new Int32Array(this.#fail.length).fill(-1);
    this.#dense = new Int32Array(rows * 128);
    this.#rowOf[0] = 0;
    for (let char = 0; char < 128; char++) this.#dense[char] = this.#rootNext[char]!;
    for (let row = 1; row < rows; row++) {
      const node = queue[row - 1]!;
      this.#rowOf[node] = row;
      const from = this.#rowOf[this.#fail[node]!]! * 128;
      this.#dense.copyWithin(row * 128, from, from + 128);
      for (const child of this.#children[node]!) {
        const char = this.#char[child]!;
        if (char < 128) this.#dense[row * 128 + char] = child;
      }
    }
    this.#dirty = false;
  }

  #slotOf(node: number, char: number): number {
    return (Math.imul(node, 0x9e3779b1) ^ Math.imul(char + 1, 0x85ebca77)) >>> this.#slotShift;
  }

  #get(node: number, char: number): number {
    const mask = this.#slotNode.length - 1;
    for (let slot = this.#slotOf(node, char); ; slot = (slot + 1) & mask) {
      const at = this.#slotNode[slot]!;
      if (at === -1) return 0;
      if (at === node && this.#slotChar[slot] === char) return this.#slotTarget[slot]!;
    }
  }

  #set(node: number, char: number, target: number): void {
    if ((this.#slots + 1) * 2 > this.#slotNode.length) this.#grow();
    const mask = this.#slotNode.length - 1;
    let slot = this.#slotOf(node, char);
    while (this.#slotNode[slot] !== -1) slot = (slot + 1) & mask;
    this.#slotNode[slot] = node;
    this.#slotChar[slot] = char;
    this.#slotTarget[slot] = target;
    this.#slots++;
  }

  #grow(): void {
    const nodes = this.#slotNode;
    const chars = this.#slotChar;
    const targets = this.#slotTarget;
    this.#slotNode = new Int32Array(nodes.length * 2).fill(-1);
    this.#slotChar = new Uint16Array(nodes.length * 2);
    this.#slotTarget = new Int32Array(nodes.length * 2);
    this.#slotShift--;
    this.#slots = 0;
    for (let slot = 0; slot < nodes.length; slot++) {
      if (nodes[slot] !== -1) this.#set(nodes[slot]!, chars[slot]!, targets[slot]!);
    }
  }
}

function filterBit(anchorHash: number): number {
  return Math.imul(anchorHash, 0x9e3779b1) >>> (32 - FILTER_BITS);
}

/** Two polynomial hashes (mod 2^32) of text[start, end). */
function hashes(text: string, start: number, end: number, base1: number, base2: number): [number, number] {
  let h1 = 0;
  let h2 = 0;
  for (let i = start; i < end; i++) {
    const char = text.charCodeAt(i);
    h1 = (Math.imul(h1, base1) + char) | 0;
    h2 = (Math.imul(h2, base2) + char) | 0;
  }
  return [h1, h2];
}

/** base^exponent mod 2^32. */
function power(base: number, exponent: number): number {
  let result = 1;
  let factor = base;
  for (let e = exponent; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = Math.imul(result, factor);
    factor = Math.imul(factor, factor);
  }
  return result;
}

/**
 * Replaces the union of the ranges [starts[i], ends[i]) with one MASK per
 * run of overlapping or touching ranges. A range never starts or ends inside
 * a backslash escape: the backslash before it, or the character after its
 * trailing backslash, is masked too, so masking JSON text keeps it JSON.
 */
function replaceRanges(text: string, starts: number[], ends: number[]): string {
  const order = starts.map((_, index) => index).sort((a, b) => starts[a]! - starts[b]! || ends[b]! - ends[a]!);
  const parts: string[] = [];
  let written = 0;
  let runStart = -1;
  let runEnd = -1;
  const flush = () => {
    if (runStart < 0) return;
    parts.push(text.slice(written, runStart), MASK);
    written = runEnd;
  };
  for (const index of order) {
    let start = starts[index]!;
    let end = ends[index]!;
    if (backslashesBefore(text, start) % 2 === 1) start--;
    if (end < text.length && backslashesBefore(text, end) % 2 === 1) end++;
    if (runStart >= 0 && start <= runEnd) {
      runStart = Math.min(runStart, start);
      runEnd = Math.max(runEnd, end);
      continue;
    }
    flush();
    runStart = Math.max(start, written);
    runEnd = end;
  }
  flush();
  parts.push(text.slice(written));
  return parts.join("");
}

function backslashesBefore(text: string, at: number): number {
  let count = 0;
  while (at - count > 0 && text.charCodeAt(at - count - 1) === 0x5c) count++;
  return count;
}
