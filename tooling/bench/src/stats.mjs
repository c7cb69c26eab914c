// Small numeric helpers shared by the benches.

/** The median of a non-empty list of numbers. */
export function median(values) {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** "123 ms" (whole milliseconds from 100 up, one decimal below). */
export function formatMs(ms) {
  return `${ms >= 100 ? Math.round(ms) : ms.toFixed(1)} ms`;
}

/** "54 MB" from bytes. */
export function formatMb(bytes) {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/** "1.42×" */
export function formatRatio(ratio) {
  return `${ratio.toFixed(2)}×`;
}
