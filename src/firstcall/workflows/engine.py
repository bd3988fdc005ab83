"""The only module that imports SpiffWorkflow (being built: issue 11)."""
