"""The public status pages residents read."""
