"""The baseline of bench_web.py: the smallest FastAPI endpoint, served the same way."""

from fastapi import FastAPI
from starlette.responses import PlainTextResponse

app = FastAPI()


@app.get("/")
async def trivial() -> PlainTextResponse:
    return PlainTextResponse("ok")
