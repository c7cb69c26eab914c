/* @bruin
name: raw.orders
type: duckdb.sql
materialization:
  type: table
columns:
  - name: order_id
    type: INTEGER
    primary_key: true
    checks:
      - name: not_null
      - name: unique
  - name: amount
    type: DECIMAL(10, 2)
    checks:
      - name: positive
@bruin */
SELECT * FROM (VALUES
  (101, 1, 120.00, DATE '2024-01-01'),
  (102, 2, 75.50, DATE '2024-01-01'),
  (103, 2, 30.25, DATE '2024-01-02'),
  (104, 3, 210.00, DATE '2024-01-02'),
  (105, 4, 15.75, DATE '2024-01-03'),
  (106, 5, 99.99, DATE '2024-01-03')
) AS t(order_id, customer_id, amount, ordered_on)
