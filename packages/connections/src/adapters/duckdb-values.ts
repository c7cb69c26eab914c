import type { DuckDBValueConverter, JS } from "@duckdb/node-api";
import { duckdb } from "./duckdb-module.js";

const { DuckDBTypeId, JSDuckDBValueConverter } = duckdb;

/**
 * Converts DuckDB values to plain JS, as the ConnectionAdapter contract asks:
 * - BIGINT / HUGEINT (signed and unsigned) → number when a safe integer, else a decimal string;
 * - DECIMAL → number; DATE → 'YYYY-MM-DD'; TIME → 'HH:MM:SS[.ffffff]';
 * - TIMESTAMP (all precisions, and WITH TIME ZONE) → Date, or the DuckDB text
 *   form when the value is outside the range a Date can hold (e.g. 'infinity');
 * - LIST / ARRAY → arrays, STRUCT → objects, MAP → [{key, value}], everything
 *   nested converted the same way.
 */
export const plainValue: DuckDBValueConverter<JS> = (value, type, converter) => {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return typeof value === "bigint" ? integerValue(value) : JSDuckDBValueConverter(value, type, converter);
    case DuckDBTypeId.DATE:
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_NS:
    case DuckDBTypeId.TIME_TZ:
    case DuckDBTypeId.INTERVAL:
      return String(value);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      try {
        return JSDuckDBValueConverter(value, type, converter);
      } catch {
        return String(value);
      }
    default:
      return JSDuckDBValueConverter(value, type, converter);
  }
};

export function integerValue(value: bigint): number | string {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
}
