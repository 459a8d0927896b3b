"""Governance models (supportive, controlling, directive) and compliance rules for pmo-core."""
