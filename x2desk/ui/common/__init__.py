"""What every wizard and view shares: the wizard frame, page bases and result actions
(``wizard``), widgets and theme, workers and the mailbox to the GUI thread, the session-wizard
base (``session_wizard``, ``session_relay``), the store choice and the QR panel."""
