"""Geometry: CRS handling, validation, storage types and every spatial query."""
