"""The baseline of bench_pages.py: a bare FastAPI endpoint, served by uvicorn like the app.

A plain `def` route, as the pages are: FastAPI runs it in the same thread pool.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/", response_class=HTMLResponse)
def bare() -> str:
    return "<!doctype html><title>bare</title><p>bare</p>"
