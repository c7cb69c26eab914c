"""@bruin
name: raw.exchange_rates
type: python
connection: duckdb-default
materialization:
  type: table
secrets:
  - key: rates_api_key
    inject_as: RATES_API_KEY
columns:
  - name: currency
    type: VARCHAR
    primary_key: true
    checks:
      - name: not_null
      - name: unique
  - name: rate_to_eur
    type: DOUBLE
    checks:
      - name: positive
@bruin"""

# A Python asset: bruin runs it with the system's python3 (or uv), calls
# materialize() and loads the rows it returns into raw.exchange_rates.
# RATES_API_KEY comes from the `generic` connection `rates_api_key`, from
# whichever secrets backend the run uses; bruin masks it in what it prints.
import os


def materialize():
    api_key = os.environ["RATES_API_KEY"]
    print(f"fetching the rates of {os.environ['BRUIN_START_DATE']} with key {api_key}")
    # A real asset would call an API with the key; these are fixed demo rates.
    rates = {"EUR": 1.0, "USD": 0.92, "GBP": 1.17, "CHF": 1.05}
    return [{"currency": currency, "rate_to_eur": rate, "as_of": os.environ["BRUIN_START_DATE"]} for currency, rate in rates.items()]
