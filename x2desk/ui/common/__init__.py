"""What every wizard and view shares: the wizard frame and page base, widgets and theme, workers
and the mailbox to the GUI thread, the session-wizard base, the store choice and the QR panel."""
