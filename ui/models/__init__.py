"""Item models that page their rows in from the services, checked with ``qtmodeltester``."""
