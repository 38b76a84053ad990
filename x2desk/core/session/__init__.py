"""The login-session engine every account flow runs on: a state machine (``machine``) driven by
a service-specific driver, its vocabulary of states, steps and snapshots (``states``), and the
poller that asks the server every few seconds (``poller``)."""
