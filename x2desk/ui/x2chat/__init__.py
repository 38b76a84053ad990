"""The X2Chat bot wizard (``wizard``) and its pages: token (camera, ``paste``, image, screen),
confirm, redeem, check, saved; ``actions`` has the steps and the pages' typed interface to the
wizard."""
