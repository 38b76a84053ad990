"""The home view: the saved connections (``view``) drawn by a delegate (``delegate``)."""
