"""Green-API for Telegram: the instance client (``client``) and the QR / phone-code pairing that
runs on the shared session machine (``pairing``)."""
