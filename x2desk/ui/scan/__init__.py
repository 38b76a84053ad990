"""The camera and screen in the window: the camera panel (picker, preview, camera trouble;
``camera_panel``), frames to the decoder off the GUI thread (``capture_bridge``, ``background``),
files and screen grabs (``decoding``), the viewfinder that draws them."""
