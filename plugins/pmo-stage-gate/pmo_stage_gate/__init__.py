"""The predictive stage-gate methodology (Cooper) for pmo-core."""
