"""The kiosk's groundwork without Qt: its config file, the admin PIN and the one-instance lock.

The kiosk window (x2desk/ui) reads a :class:`~x2desk.core.kiosk.config.KioskConfig` from
:func:`~x2desk.core.kiosk.config.load_kiosk_config`, checks the PIN with
:class:`~x2desk.core.kiosk.pin.PinAttempts` and holds an
:class:`~x2desk.core.kiosk.instance.InstanceLock` while it runs.
"""
