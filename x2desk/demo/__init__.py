"""Demo mode: the in-process sandbox, a virtual phone camera, and the phone panel's logic."""
