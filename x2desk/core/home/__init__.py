"""The operator's home, without Qt: what the window's home view and the CLI do to saved
connections. Blocking (HTTP, SQLite, the credential store): the window runs these in workers.

- :mod:`.verdicts`: what an answer means for a connection's health (a Status and a reason).
- :mod:`.checks`: check one connection now (:class:`Checker`), send a bot a test message.
- :mod:`.check_all`: check many, gently paced, cancellable, with progress (:class:`CheckAll`).
- :mod:`.forget`: forget a connection so the credential store and the records agree, even when
  the store fails half way (:func:`forget_connection`).
- :mod:`.export`: hand a connection over to another system as ``.env`` or JSON
  (:func:`plan_export`, :func:`write_export`).
- :mod:`.history`: a connection's history for people and as CSV.
- :mod:`.profiles`: removing a profile with its secrets (the registry is
  :mod:`x2desk.core.profiles`).

The records themselves (labels, statuses, search) are :mod:`x2desk.core.store.records`; the
statuses :mod:`x2desk.core.status`; Green-API batch pairing :mod:`x2desk.core.greenapi.batch`.
"""
