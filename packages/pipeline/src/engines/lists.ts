import { COLUMN_CHECK_NAMES } from "../asset-fields.js";
import { TABLE_STRATEGIES } from "../strategies.js";
import type { ColumnCheckName } from "./engine.js";
import type { TableStrategy } from "../strategies.js";

/** Every table strategy: for engines that run them all. */
export const ALL_STRATEGIES: readonly TableStrategy[] = TABLE_STRATEGIES;
/** Every column check, `pattern` included: for engines with regular expressions. */
export const ALL_CHECKS: readonly ColumnCheckName[] = COLUMN_CHECK_NAMES;
/** The strategies of the first engines' modules: for engines whose newer strategies are not written (and tested) yet. */
export const CLASSIC_STRATEGIES: readonly TableStrategy[] = [
  "create+replace",
  "append",
  "delete+insert",
  "truncate+insert",
  "merge",
];
/** Every strategy but Data Vault's, which the reference runs on PostgreSQL and DuckDB only. */
export const ALL_BUT_DATAVAULT: readonly TableStrategy[] = TABLE_STRATEGIES.filter((s) => !s.startsWith("datavault_"));
/** Only create+replace: for engines whose incremental SQL is not written (and tested) yet. */
export const REPLACE_ONLY: readonly TableStrategy[] = ["create+replace"];
