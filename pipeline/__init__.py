"""Journeys: measure real customer journeys against the journey map a workshop drew."""
