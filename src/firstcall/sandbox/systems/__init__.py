"""One module per simulated operator system; each exposes `ENDPOINTS` under its own prefix."""
