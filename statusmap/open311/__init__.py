"""Open311 GeoReport v2 at /open311/v2: services are report kinds, requests are crowd reports."""
