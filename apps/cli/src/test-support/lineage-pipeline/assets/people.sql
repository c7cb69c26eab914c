/* @bruin
name: people
type: duckdb.sql
materialization:
  type: table
depends:
  - raw.users
@bruin */

select
    id,
    name,
    last_name,
    created_at
from raw.users
where country = 'UK' and id > {{ var.min_id }};
