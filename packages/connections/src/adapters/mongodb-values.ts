import { plainDecimal, plainInteger } from "../plain-values.js";

/**
 * BSON values → plain JS, like the SQL adapters: ObjectId as its hex text,
 * Int64 as a number when safe (else decimal text), Decimal128 as a number
 * when 15 digits hold it (else text), binary data as base64, dates as Date,
 * nested documents and arrays converted the same way.
 */
export function plainBson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return plainInteger(value);
  if (typeof value !== "object") return value;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(plainBson);
  const bsonType = (value as { _bsontype?: unknown })._bsontype;
  if (typeof bsonType === "string") return plainBsonValue(bsonType, value as BsonValue);
  const plain: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) plain[key] = plainBson(item);
  return plain;
}

interface BsonValue {
  toString(encoding?: string): string;
  toHexString?(): string;
  valueOf(): unknown;
}

function plainBsonValue(bsonType: string, value: BsonValue): unknown {
  switch (bsonType) {
    case "ObjectId":
      return value.toHexString ? value.toHexString() : value.toString();
    case "Long":
      return plainInteger(value.toString());
    case "Decimal128":
      return plainDecimal(value.toString());
    case "Int32":
    case "Double":
      return value.valueOf();
    case "Binary":
      return value.toString("base64");
    default:
      // Timestamp, MinKey/MaxKey, BSONRegExp, Code, UUID…: their text form.
      return value.toString();
  }
}
