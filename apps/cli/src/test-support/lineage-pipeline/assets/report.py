""" @bruin
name: report
depends:
  - example
@bruin """

print("report")
