/* @bruin
name: mart.orders
type: duckdb.sql
description: Orders of the interval, one row per order
owner: orders-team@example.com
start_date: "2024-02-01"
tags: [finance]
domains: [orders]
meta:
  tier: gold
depends:
  - raw.customers
  - raw_events
materialization:
  type: table
  strategy: merge
  incremental_key: updated_at
  partition_by: order_date
  cluster_by: [customer_id]
columns:
  - name: order_id
    type: integer
    description: The order
    primary_key: true
    checks:
      - name: not_null
      - name: unique
        description: one row per order
  - name: status
    type: varchar
    update_on_merge: true
    nullable: false
    checks:
      - name: accepted_values
        value: [open, shipped]
        blocking: false
  - name: amount
    type: double
    merge_sql: GREATEST(target.amount, source.amount)
    checks:
      - name: min
        value: 0
  - name: updated_at
    type: timestamp
custom_checks:
  - name: some orders
    description: the interval has orders
    query: SELECT COUNT(*) > 0 FROM mart.orders
    value: 1
@bruin */
SELECT order_id, status, amount, updated_at
FROM raw.customers
WHERE updated_at BETWEEN '{{ start_date }}' AND '{{ end_date }}'
  AND '{{ this }}' = 'mart.orders'
  AND env = '{{ var.env }}'
