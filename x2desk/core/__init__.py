"""The Qt-free core: token intake, API clients, flows, stores, QR decoding.

Nothing under this package may import Qt: the GUI, the CLI and the autopilot all drive it.
By service: ``x2chat/``, ``accounts/`` (the connections provider), ``greenapi/``; shared:
``session/`` (the login-session machine), ``scan/`` (QR reading), ``store/`` (secrets, records,
settings), ``kinds`` (the one table of connection kinds and flows), ``saving`` (recording a
finished connection, one vocabulary of outcomes), ``errors``, ``secret``, ``redact``, ``clock``,
``net``, ``paths``.
"""
