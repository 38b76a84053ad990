"""The connections provider (Radist-style API v2): its client (``client``), the login-session
drivers for Telegram, MAX, WhatsApp, bots and Odnoklassniki with the recording of what they made
(``drivers``), and the provider's API key: loaded, checked and remembered (``provider_key``)."""
