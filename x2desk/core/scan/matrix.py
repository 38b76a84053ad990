"""A QR code's module matrix from qrcode, for everything that draws one (GUI, demo, sandbox)."""

from __future__ import annotations


def qr_modules(payload: str, border: int = 4) -> list[list[bool]]:
    """The QR modules of ``payload`` (error correction M) with a ``border``-module quiet zone;
    True = dark."""
    import qrcode

    code = qrcode.QRCode(border=border, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    return [[bool(v) for v in row] for row in code.get_matrix()]
