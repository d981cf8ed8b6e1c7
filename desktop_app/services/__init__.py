"""Use cases the UI calls. Each runs in one store transaction; none imports Qt."""
