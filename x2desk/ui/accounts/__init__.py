"""The accounts wizard (``wizard``; its provider step in ``provider_step``) and its pages: kind,
provider, details (``login``: phone, code, password; ``keys``: bot token, group key), QR,
result. The provider key, the drivers and the recording are the core's
(:mod:`x2desk.core.accounts`)."""
