"""Domain aggregates: records together with the rules that span them (pure, no store)."""
