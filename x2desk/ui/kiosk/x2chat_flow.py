"""The kiosk's X2Chat flow: the X2Chat wizard at the config's address with the camera (the
config's, by name; no picker) and the Paste tab only. The Image file and Screen tabs, dropping a
file and "Don't show this warning again" are gone: nothing here opens a file dialog or keeps a
setting. It succeeds when the bot's credentials are saved and checked (the flow's SAVED step).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from x2desk.core.x2chat.flow_state import Step
from x2desk.ui.kiosk.flows import FlowOutcome
from x2desk.ui.x2chat.token import TokenPage
from x2desk.ui.x2chat.wizard import X2ChatWizard

if TYPE_CHECKING:
    from x2desk.ui.context import AppContext


def kiosk_token_page(page: TokenPage) -> None:
    """Take the file and screen tabs and the drop target off the token page."""
    page.setAcceptDrops(False)
    for index in (TokenPage.TAB_SCREEN, TokenPage.TAB_IMAGE):
        widget = page.tabs.widget(index)
        page.tabs.removeTab(index)
        if widget is not None:
            widget.deleteLater()
    page.camera.set_fixed()


class KioskX2ChatWizard(X2ChatWizard):
    """An :class:`X2ChatWizard` for the kiosk (see the module)."""

    def __init__(self, ctx: AppContext, flow_id: str, **kwargs: object) -> None:
        super().__init__(ctx, **kwargs)  # type: ignore[arg-type]
        self.outcome = FlowOutcome(self, flow_id)
        self.frame.show_step_list(False)
        self.token.hide_next_when_disabled = True  # nothing to press while it waits
        kiosk_token_page(self.token)
        self.confirm.dont_ask.setChecked(False)
        self.confirm.dont_ask.hide()

    def _render(self) -> None:
        super()._render()
        state = self.state()
        if state is not None and state.step is Step.SAVED:
            self.outcome.success()
