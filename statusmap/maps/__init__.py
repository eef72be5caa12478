"""folium map builders. They take plain data and asset URLs; no request or database access."""
