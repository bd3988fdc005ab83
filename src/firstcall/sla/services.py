"""SLA clocks: start, pause, resume, stop (being built: issue 11)."""
