"""X2Chat: the integration token read from a QR (``tokens``), the redeem and Bot API client
(``client``) and the redeem flow as a state machine (``flow``: its actions; ``flow_state``: its
steps, failures and snapshot; ``bot_checks``: getMe, the webhook and the test message)."""
