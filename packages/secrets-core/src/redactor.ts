/**
 * Masks registered secret values in any text. Each value is matched raw,
 * URL-encoded (both `encodeURIComponent` and form encoding), JSON-escaped
 * and base64-encoded (standard and URL-safe alphabets).
 */
export const MASK = "****";

/** Values shorter than this are not registered: masking them would mangle ordinary text. */
export const MIN_SECRET_LENGTH = 4;

export class Redactor {
  readonly #values = new Set<string>();
  #pattern: RegExp | undefined;
  #dirty = false;

  /** Registers a value; returns true when it will be masked. */
  add(value: unknown): boolean {
    if (typeof value !== "string" && typeof value !== "number") return false;
    const text = String(value);
    if (text.length < MIN_SECRET_LENGTH) return false;
    for (const form of encodedForms(text)) {
      if (form.length >= MIN_SECRET_LENGTH && !this.#values.has(form)) {
        this.#values.add(form);
        this.#dirty = true;
      }
    }
    return true;
  }

  /** Registers every value of `details` whose key is listed in `fields` (nested objects included). */
  addFields(details: Record<string, unknown>, fields: readonly string[]): void {
    for (const field of fields) {
      const value = details[field];
      if (value === undefined || value === null) continue;
      if (typeof value === "object") this.addAll(value);
      else this.add(value);
    }
  }

  /** Registers every string leaf of a value (for values that are secret as a whole). */
  addAll(value: unknown): void {
    if (typeof value === "string" || typeof value === "number") {
      this.add(value);
      // A JSON document (a service account, say) is secret as a whole and in its parts.
      if (typeof value === "string" && /^\s*[{[]/.test(value)) {
        try {
          this.addAll(JSON.parse(value));
        } catch {
          /* not JSON: the raw string is registered already */
        }
      }
      return;
    }
    if (Array.isArray(value)) for (const item of value) this.addAll(item);
    else if (value && typeof value === "object") for (const item of Object.values(value)) this.addAll(item);
  }

  get size(): number {
    return this.#values.size;
  }

  redact(text: string): string {
    if (this.#values.size === 0 || text.length === 0) return text;
    const pattern = this.#compile();
    return text.replace(pattern, MASK);
  }

  /** Redacts any value: strings directly, errors by message and stack, other values via JSON. */
  redactUnknown(value: unknown): string {
    if (value instanceof Error) return this.redact(value.message);
    if (typeof value === "string") return this.redact(value);
    try {
      return this.redact(JSON.stringify(value) ?? String(value));
    } catch {
      return this.redact(String(value));
    }
  }

  #compile(): RegExp {
    if (this.#pattern && !this.#dirty) return this.#pattern;
    // Longest first, so a value that contains another is masked whole.
    const alternatives = [...this.#values].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.#pattern = new RegExp(alternatives.join("|"), "g");
    this.#dirty = false;
    return this.#pattern;
  }
}

function encodedForms(value: string): string[] {
  const forms = new Set<string>([value]);
  forms.add(encodeURIComponent(value));
  forms.add(new URLSearchParams({ v: value }).toString().slice(2));
  forms.add(JSON.stringify(value).slice(1, -1));
  const base64 = Buffer.from(value, "utf8").toString("base64");
  forms.add(base64);
  forms.add(base64.replace(/=+$/, ""));
  forms.add(Buffer.from(value, "utf8").toString("base64url"));
  return [...forms];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
