"""Server-rendered pages: authorise, call a service, render."""
