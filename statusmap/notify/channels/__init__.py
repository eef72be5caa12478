"""Channels that deliver one message each; all behind `channels.base.Channel`."""
