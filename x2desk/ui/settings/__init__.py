"""The settings, in the window (not a file to edit): :mod:`.dialog` holds the pages; the
preferences (:mod:`.general`: language, look, phone country, the rotation warning, the camera),
each profile's addresses (:mod:`.addresses`) and this computer (:mod:`.computer`: where data and
logs live, and ``x2desk doctor``'s report)."""
