"""The network engine: a pipe network (EPANET through wntr), its valve segments, isolation and
leak localisation from crowd reports. Domain code only: no Flask, no database."""
