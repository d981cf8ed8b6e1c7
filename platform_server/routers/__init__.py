"""HTTP routers of the platform, one module per area."""
