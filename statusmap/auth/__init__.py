"""Staff accounts: passwords, logins, roles (domain in accounts.py; Flask side in access.py)."""
