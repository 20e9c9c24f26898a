"""The HTTP layer: app factory, routes, wire schemas and error envelope."""
