"""The HTTP service: SPARQL 1.1 endpoint, validation service and web pages."""
