"""Every spatial query in statusmap, one module per aggregate, both strategies side by side.

`spatial.py` holds the two strategies of each spatial predicate for any table whose geometry
column is declared `indexed=True`: PostGIS evaluates it in the database through GiST; SQLite
narrows rows through the column's R*Tree and decides the exact predicate in shapely, vectorised.
Both use 'covers' semantics (a point on an area's edge is inside). The aggregate modules
(`addresses.py`, `incidents.py`, and later reports and the network) build their queries on it,
so nothing outside this package asks which backend runs.
"""
