"""The Qt-free core: token intake, API clients, flows, stores, QR decoding.

Nothing under this package may import Qt: the GUI, the CLI and the autopilot all drive it.
By service: ``x2chat/``, ``accounts/`` (the connections provider), ``greenapi/``; shared:
``session/`` (the login-session machine), ``scan/`` (QR reading), ``store/`` (secrets, records,
settings, the journal), ``home/`` (the operator's checks, export, forget, history),
``kiosk/`` (the station's config, PIN, lock and clocks); ``kinds`` (the one table of connection
kinds and flows), ``saving`` (recording a finished connection, one vocabulary of outcomes),
``texts`` (each service's error texts by key), ``errors/`` (one hierarchy: ``base``, ``remote``,
``local``), ``profiles``, ``status``, ``secret``, ``redact``, ``clock``, ``net``, ``addresses``,
``paths``.
"""
