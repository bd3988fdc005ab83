"""SLA policies, business calendars and clocks (being built: issue 11)."""
