/* @bruin
name: raw.users
type: duckdb.sql
materialization:
  type: table
columns:
  - name: id
    type: integer
    description: The user's id
    primary_key: true
    checks:
      - name: not_null
  - name: name
    type: varchar
    description: First name
    tags: [pii]
    owner: data@example.com
  - name: last_name
    type: varchar
    description: Last name
  - name: country
    type: varchar
  - name: created_at
    type: timestamp
    description: When the user signed up
@bruin */

SELECT 1 AS id, 'Ada' AS name, 'Lovelace' AS last_name, 'UK' AS country, TIMESTAMP '2024-01-02 10:00:00' AS created_at
