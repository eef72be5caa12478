"""Addresses: importing the national address register and flagging vulnerable subscribers."""
