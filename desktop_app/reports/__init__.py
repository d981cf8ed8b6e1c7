"""Document models for every printed form (data, not pixels); filled by the printing issue."""
