"""The QR engine behind :mod:`decode`: library wrappers, image preparation, the cheap
finder-pattern gate and the curved-card unwarp.
Import the public API from ``x2desk.core.scan.decode``."""
