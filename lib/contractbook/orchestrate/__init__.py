"""Orchestration without a server: run configuration, input tracking, run history, file sensor."""
