"""The REST API v1: shared pagination, errors and the URL map of every app's API."""
