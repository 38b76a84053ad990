"""X2Chat: the integration token read from a QR (``tokens``), the redeem and Bot API client
(``client``) and the redeem flow as a state machine (``flow``)."""
