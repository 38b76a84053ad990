"""x2desk: connect messenger accounts and bots to a business's systems without copying secrets."""

__version__ = "0.1.0"
APP_NAME = "x2desk"
