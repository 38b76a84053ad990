"""Reading QR codes: the cameras (names, the one camera opener; ``cameras``), other frame sources
(files, still images; ``frames``), the latest-frame-wins capture pipeline (``capture``) and how
often it decodes (``rate``), the decoder (``decode`` and its passes in ``qr/``, the motion deblur
among them) and drawing a QR as a module matrix (``matrix``)."""
