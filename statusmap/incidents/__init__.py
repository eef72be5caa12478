"""Incidents: the domain operations and reads, free of Flask."""
