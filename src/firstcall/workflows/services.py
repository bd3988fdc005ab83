"""Back-office operations (being built: issue 11)."""
