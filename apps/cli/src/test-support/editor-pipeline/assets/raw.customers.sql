/* @bruin
name: raw.customers
type: duckdb.sql
materialization:
  type: view
@bruin */
{% for user in var.users %}
SELECT '{{ user }}' AS name{% if not loop.last %} UNION ALL{% endif %}
{% endfor %}
