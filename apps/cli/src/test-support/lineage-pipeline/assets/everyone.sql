/* @bruin
name: everyone
type: duckdb.sql
materialization:
  type: view
depends:
  - people
  - raw.users
@bruin */

select id, name from people
union all
select id, name from raw.users where country <> 'UK'
