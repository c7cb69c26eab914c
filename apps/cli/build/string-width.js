/**
 * string-width for the bundled CLI: the same measure as string-width 7, with
 * its Unicode tables built on first use. The published module compiles
 * `\p{…}` regular expressions and an `Intl.Segmenter` as soon as it is
 * imported, which cost about 20 ms of every `bruin` start although only
 * `--help` and usage errors measure text (through yargs and cliui).
 * tsup.config.ts points every `string-width` import of the bundle here, and
 * resolves the two helpers below from the real string-width's folder.
 */
import stripAnsi from "strip-ansi";
import { eastAsianWidth } from "get-east-asian-width";

let unicode;

function unicodeTables() {
  // Built from strings at run time: a regular expression literal would be compiled with the bundle.
  unicode ??= {
    segmenter: new Intl.Segmenter(),
    ignorable: new RegExp("^\\p{Default_Ignorable_Code_Point}$", "u"),
    emoji: new RegExp("^\\p{RGI_Emoji}$", "v"),
  };
  return unicode;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function isZeroWidth(codePoint) {
  return (
    codePoint <= 0x1f ||
    (codePoint >= 0x7f && codePoint <= 0x9f) || // control characters
    (codePoint >= 0x200b && codePoint <= 0x200f) || // zero-width space, joiners, direction marks
    codePoint === 0xfeff || // zero-width no-break space
    (codePoint >= 0x300 && codePoint <= 0x36f) || // combining diacritical marks
    (codePoint >= 0x1ab0 && codePoint <= 0x1aff) ||
    (codePoint >= 0x1dc0 && codePoint <= 0x1dff) ||
    (codePoint >= 0x20d0 && codePoint <= 0x20ff) ||
    (codePoint >= 0xfe20 && codePoint <= 0xfe2f) || // combining half marks
    (codePoint >= 0xd800 && codePoint <= 0xdfff) || // lone surrogates
    (codePoint >= 0xfe00 && codePoint <= 0xfe0f) // variation selectors
  );
}

/** The number of terminal columns `string` takes. */
export default function stringWidth(string, options = {}) {
  if (typeof string !== "string" || string.length === 0) return 0;
  const { ambiguousIsNarrow = true, countAnsiEscapeCodes = false } = options;
  if (!countAnsiEscapeCodes) string = stripAnsi(string);
  // All that help text holds: one column per character, no tables needed.
  if (PRINTABLE_ASCII.test(string)) return string.length;

  const { segmenter, ignorable, emoji } = unicodeTables();
  const widthOptions = { ambiguousAsWide: !ambiguousIsNarrow };
  let width = 0;
  for (const { segment } of segmenter.segment(string)) {
    const codePoint = segment.codePointAt(0);
    if (isZeroWidth(codePoint) || ignorable.test(segment)) continue;
    if (emoji.test(segment)) {
      width += 2;
      continue;
    }
    width += eastAsianWidth(codePoint, widthOptions);
  }
  return width;
}
