"""The sandbox: a local HTTP server that serves every contract of API.md on loopback.

It stands in for X2Chat (``/api/v1``), the connections provider (``/v2``), Green-API (the root,
``/waInstance...``) and the phone (``/_sandbox/``), so tests, the demo and the autopilot can drive
every flow without an account. It shares only the contract with the client code under
``x2desk/core``; it imports nothing from the client.
"""
