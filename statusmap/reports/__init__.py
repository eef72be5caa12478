"""Crowd reports: submission rules, the public's generalised view, retention of contacts."""
