import type { Report } from "./asset-fields.js";
import type { Asset } from "./model.js";
import { readSeed, seedPlatform } from "./seed.js";
import { readSensor, sensorType } from "./sensor.js";

/** The kinds of asset defined by a whole `.asset.yml` file that run no query of their own: seeds and sensors. */
export type YamlAssetKind = "seed" | "sensor.query" | "sensor.table";

/** What a `.asset.yml` asset type is (`duckdb.seed`, …) and the platform it runs on; undefined for other types. */
export function yamlAssetKind(type: string): { kind: YamlAssetKind; platform: string } | undefined {
  const seed = seedPlatform(type);
  if (type.endsWith(".seed")) return { kind: "seed", platform: seed ?? "" };
  const sensor = sensorType(type);
  if (sensor) return { kind: `sensor.${sensor.check}`, platform: sensor.platform };
  return undefined;
}

/** Reads the fields of such an asset (its `parameters:`) into it. */
export function readYamlAsset(kind: YamlAssetKind, raw: Record<string, unknown>, asset: Asset, report: Report): void {
  switch (kind) {
    case "seed":
      asset.seed = readSeed(raw, asset.path, asset.name, report);
      // A seed always replaces its table with the file's rows.
      asset.materialization = { type: "table", strategy: "create+replace" };
      return;
    case "sensor.query":
      asset.sensor = readSensor("query", raw, asset, report);
      return;
    case "sensor.table":
      asset.sensor = readSensor("table", raw, asset, report);
      return;
  }
}
