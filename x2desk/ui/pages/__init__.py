"""The wizard's pages. Each renders a flow's state and sends the user's actions to its wizard."""
