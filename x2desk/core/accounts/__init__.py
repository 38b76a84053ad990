"""The connections provider (Radist-style API v2): its client (``client``), the login-session
drivers for Telegram, MAX, WhatsApp, bots and Odnoklassniki (``drivers``)."""
