"""Runs a Python asset's materialize() and streams what it returns to bruin.

Usage: python3 bruin_runner.py ASSET_FILE

The asset file runs as a module (its top-level code included), then its
materialize() is called. The result goes to file descriptor 3, one JSON
document per line:

  #columns [["name", "int"], ...]   once, before the first row (types: int,
                                    float, bool, str, date, timestamp, json)
  {"name": value, ...}              one line per row
  #end {"rows": N, "maxrss_kb": K}  after the last row

materialize() may return or yield: a list of dicts, dicts, lists of dicts, a
pandas or polars DataFrame, a pyarrow Table or RecordBatch, or None. Nothing
is held in memory beyond the first few rows used to infer column types.
"""

import datetime
import decimal
import importlib.util
import json
import math
import os
import sys

SAMPLE_ROWS = 1000


BATCH_ROWS = 10000


def frame_batches(result):
    """A DataFrame or Arrow table as batches of row dicts, or None for anything else.

    Recognised by the methods used (duck typing), so no library is imported:
    pyarrow Table (to_batches) and RecordBatch (to_pylist), polars DataFrame
    (iter_slices + to_dicts), pandas DataFrame (iloc + to_dict). Each batch is
    one slice of BATCH_ROWS rows, so a large frame is never copied whole.
    """
    if hasattr(result, "to_batches"):
        return (batch.to_pylist() for batch in result.to_batches(max_chunksize=BATCH_ROWS))
    if hasattr(result, "to_pylist") and hasattr(result, "schema"):
        return iter([result.to_pylist()])
    if hasattr(result, "iter_slices") and hasattr(result, "to_dicts"):
        return (part.to_dicts() for part in result.iter_slices(n_rows=BATCH_ROWS))
    if hasattr(result, "iloc") and hasattr(result, "to_dict") and hasattr(result, "columns"):
        return (result.iloc[start : start + BATCH_ROWS].to_dict("records") for start in range(0, len(result), BATCH_ROWS))
    return None


def rows_of(result):
    """Every row of a result, as dicts, lazily."""
    if result is None:
        return
    if isinstance(result, dict):
        yield result
        return
    batches = frame_batches(result)
    if batches is not None:
        for batch in batches:
            for row in batch:
                yield row
        return
    if isinstance(result, (str, bytes)):
        raise TypeError("materialize() returned a %s; return rows (dicts), a list or generator of them, or a DataFrame" % type(result).__name__)
    try:
        items = iter(result)
    except TypeError:
        raise TypeError("materialize() returned a %s; return rows (dicts), a list or generator of them, or a DataFrame" % type(result).__name__)
    for item in items:
        if isinstance(item, dict):
            yield item
        else:
            # A batch: a list of dicts, a DataFrame, a Table.
            for row in rows_of(item):
                yield row


def plain(value):
    """A value JSON can carry, or the same value."""
    if value is not None and type(value).__name__ in ("NaTType", "NAType"):  # pandas' missing values
        return None
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        try:
            return plain(value.item())
        except Exception:
            return str(value)
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()
    return value


def encode_other(value):
    """What JSON cannot encode by itself: dates, decimals, bytes, numpy and pandas scalars."""
    converted = plain(value)
    return str(converted) if converted is value else converted


def type_of(value):
    if value is None or type(value).__name__ in ("NaTType", "NAType"):
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, (float, decimal.Decimal)):
        return "float"
    if isinstance(value, datetime.datetime):
        return "timestamp"
    if isinstance(value, datetime.date):
        return "date"
    if isinstance(value, str):
        return "str"
    if isinstance(value, (dict, list, tuple)):
        return "json"
    if type(value).__name__ == "Timestamp":
        return "timestamp"
    if hasattr(value, "item"):
        try:
            return type_of(value.item())
        except Exception:
            return "str"
    return "str"


def widen(current, new):
    if current is None or current == new:
        return new
    if new is None:
        return current
    if {current, new} == {"int", "float"}:
        return "float"
    return "str"


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: bruin_runner.py ASSET_FILE\n")
        return 2
    asset_file = os.path.abspath(sys.argv[1])
    out = os.fdopen(3, "w", encoding="utf-8", newline="\n")
    sys.argv = [asset_file]
    sys.path.insert(0, os.path.dirname(asset_file))
    spec = importlib.util.spec_from_file_location("__bruin_asset__", asset_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    materialize = getattr(module, "materialize", None)
    if not callable(materialize):
        sys.stderr.write("the asset has a materialization but no materialize() function\n")
        return 1

    rows = rows_of(materialize())
    sample = []
    for row in rows:
        if not isinstance(row, dict):
            raise TypeError("materialize() produced a %s where a row (a dict) was expected" % type(row).__name__)
        sample.append(row)
        if len(sample) >= SAMPLE_ROWS:
            break

    columns = {}
    for row in sample:
        for key, value in row.items():
            columns[str(key)] = widen(columns.get(str(key)), type_of(value))
    out.write("#columns " + json.dumps([[name, kind or "str"] for name, kind in columns.items()]) + "\n")

    count = 0
    dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=encode_other).encode

    def emit(row):
        try:
            text = dumps(row)
        except ValueError:  # NaN or infinity: written as null
            text = dumps({str(k): plain(v) for k, v in row.items()})
        out.write(text + "\n")

    for row in sample:
        emit(row)
        count += 1
    del sample
    for row in rows:
        if not isinstance(row, dict):
            raise TypeError("materialize() produced a %s where a row (a dict) was expected" % type(row).__name__)
        emit(row)
        count += 1

    try:
        import resource

        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    except Exception:
        maxrss = 0
    out.write("#end " + json.dumps({"rows": count, "maxrss_kb": maxrss}) + "\n")
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
