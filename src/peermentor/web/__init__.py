"""Web adapters: pages (Jinja2) and the JSON API over the services."""
