"""Slack platform adapter (slack-bolt): Socket Mode and HTTP mode."""
