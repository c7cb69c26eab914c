""" @bruin
name: load_events
image: python:3.11
depends:
  - mart.orders
secrets:
  - key: events_api
    inject_as: EVENTS_KEY
@bruin """
print("loaded")
