"""The accounts wizard (``wizard``) and its pages: kind, provider, details, QR, code, password,
result."""
