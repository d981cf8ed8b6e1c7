"""Reusable widgets that show service results (entity card, message boxes)."""
