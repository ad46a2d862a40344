"""The open-data API (/api/v1) and its OpenAPI document."""
