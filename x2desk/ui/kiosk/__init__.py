"""``x2desk --kiosk``: the unattended pairing station (issue 15).

``app`` starts it (the config, or the demo's in ``demo``; one instance, before the
QApplication), ``window`` is the one frameless fullscreen window: the start screen (``start``),
one flow at a time (``host`` builds the kiosk's variant of each wizard from ``flows``:
``accounts_flow``, ``greenapi_flow``, ``x2chat_flow``), and the ``screens`` after it (done,
offline, not ready). ``guard`` watches every touch (idle reset) and the exit gestures, ``overlays``
asks "are you still there?" and for the admin PIN, ``network`` probes the services, ``style``
scales everything for a touch screen; :mod:`x2desk.ui.autopilot.kiosk` drives it for
``--autopilot --cycles``.
The clocks behind it are :mod:`x2desk.core.kiosk.watch` (injectable, no Qt).
"""
