"""The Green-API wizard (``wizard``) and its pages: instance, QR, password, already paired,
result."""
