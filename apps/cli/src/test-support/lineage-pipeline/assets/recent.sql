/* @bruin
name: recent
type: duckdb.sql
materialization:
  type: table
depends:
  - people
@bruin */

with recent_people as (
    select * from people where created_at > '2024-01-01'
)
select
    r.*,
    upper(r.name) || ' ' || r.last_name as full_name,
    cast(r.id as bigint) as id_big,
    1 as one,
    'x' as label
from recent_people r
