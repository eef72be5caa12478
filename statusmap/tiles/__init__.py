"""Base-map tiles through our own host: the proxy, its settings and its route."""
