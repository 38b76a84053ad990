"""The camera and screen in the window: frames to the decoder off the GUI thread
(``capture_bridge``, ``decoding``), the viewfinder that draws them."""
