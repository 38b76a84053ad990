"""The Qt-free core: token intake, API clients, flows, stores, QR decoding.

Nothing under this package may import Qt: the GUI, the CLI and the autopilot all drive it.
"""
