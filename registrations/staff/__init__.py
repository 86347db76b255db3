"""The organiser pages: seats, registrations, phone entry, allocation, export and chart of an event.

Views here only translate input and call `registrations.services`; read-only queries that only
these pages need (the chart's grouped counts, the CSV rows, a registration's history) live next
to them in this package.
"""
