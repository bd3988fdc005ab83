"""Reads of SLA clocks and notifications (being built: issue 11)."""
