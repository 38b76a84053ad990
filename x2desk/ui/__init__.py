"""The window (PySide6): it renders what the core's flows decide and sends the person's choices
back; no HTTP here, and nothing blocking on the GUI thread.

``app`` starts it, ``context`` says where it runs (API bases, demo, what the window keeps),
``main_window`` holds ``home/`` (the saved connections) and the ``router``, which shows
``choose`` ("What to connect") and opens one wizard per service: ``x2chat/``, ``accounts/``,
``greenapi/`` (with its batch), and the ``settings/`` dialog. ``common/`` is what they share,
``scan/`` the camera and screen, ``autopilot/`` the demo's robot (and the kiosk's). ``kiosk/``
is ``x2desk --kiosk``: a window of its own (no home, no router) running the kiosk's variants of
the same wizards, one person at a time.
"""
