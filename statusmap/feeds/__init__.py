"""Serialisers for the open feeds. Each takes plain models and URLs; no request access."""
