/* @bruin
name: broken
type: duckdb.sql
materialization:
  type: table
depends:
  - people
columns:
  - name: id
    type: integer
@bruin */

select id from people where
