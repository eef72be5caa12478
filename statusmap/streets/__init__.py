"""Streets: the base layer drawn from our own data."""
