/* @bruin
name: by_country
type: duckdb.sql
materialization:
  type: table
depends:
  - raw.users
@bruin */

select country, count(*) as user_count, max(created_at) as last_signup
from raw.users
group by country
