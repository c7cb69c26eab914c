/* @bruin
name: raw.customers
type: duckdb.sql
materialization:
  type: table
columns:
  - name: customer_id
    type: INTEGER
    primary_key: true
    checks:
      - name: not_null
      - name: unique
  - name: country
    type: VARCHAR
    checks:
      - name: accepted_values
        value: [DE, FR, NL, US]
@bruin */
SELECT * FROM (VALUES
  (1, 'Ada', 'DE'),
  (2, 'Grace', 'US'),
  (3, 'Edsger', 'NL'),
  (4, 'Barbara', 'US'),
  (5, 'Niklaus', 'FR')
) AS t(customer_id, name, country)
