"""Reading QR codes: frame sources (cameras, files, screens; ``frames``), the latest-frame-wins
capture pipeline (``capture``), the decoder (``decode`` and its passes in ``qr/``) and drawing a
QR as a module matrix (``matrix``)."""
