"""A local OpenAI-compatible server: other programs use the same private model and documents.

``protocol`` reads and writes the wire format, ``service`` runs the work (one request at a time on the
model), ``app`` is the HTTP side (Starlette), ``run`` serves it with uvicorn, ``keys`` holds its key.
"""
