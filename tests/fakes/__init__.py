"""Fake external services for tests and benchmarks: real servers on localhost."""
