/* @bruin
name: staging.orders_enriched
type: duckdb.sql
materialization:
  type: view
depends:
  - raw.orders
  - raw.customers
@bruin */
SELECT
  o.order_id,
  o.ordered_on,
  o.amount,
  c.customer_id,
  c.country
FROM raw.orders AS o
JOIN raw.customers AS c USING (customer_id)
