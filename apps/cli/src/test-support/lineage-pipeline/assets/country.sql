/* @bruin
name: country
type: duckdb.sql
materialization:
  type: table
depends:
  - raw.users
columns:
  - name: id
    primary_key: true
    tags: [key]
@bruin */

select id, country
from raw.users u
where u.created_at >= '{{ start_date }}'
