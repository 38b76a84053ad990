"""The Green-API wizard (``wizard``; re-pairing a saved instance in ``repair``) and its pages:
instance, QR, password, already paired, result; ``common`` has the steps, the pages' typed
interface to the wizard and the Green-API error texts."""
