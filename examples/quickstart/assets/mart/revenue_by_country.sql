/* @bruin
name: mart.revenue_by_country
type: duckdb.sql
materialization:
  type: table
  strategy: create+replace
depends:
  - staging.orders_enriched
columns:
  - name: country
    type: VARCHAR
    checks:
      - name: not_null
      - name: unique
  - name: revenue
    type: DECIMAL(12, 2)
    checks:
      - name: non_negative
  - name: orders
    type: BIGINT
    checks:
      - name: positive
@bruin */
SELECT
  country,
  SUM(amount) AS revenue,
  COUNT(*) AS orders
FROM staging.orders_enriched
GROUP BY country
ORDER BY country
