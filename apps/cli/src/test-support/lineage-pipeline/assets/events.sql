/* @bruin
name: user_events
type: duckdb.sql
materialization:
  type: table
depends:
  - raw.users
@bruin */

select e.event_id, e.kind, u.name as user_name
from analytics.events e
join raw.users u on u.id = e.user_id
