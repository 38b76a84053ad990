"""The kiosk's start screen and its top bar.

The top bar carries the brand (logo, title) on every screen, the language switch on the start
screen and, in the demo, a badge saying so. The start screen is the welcome text and one big
card per flow the config enables, in its order: one tap starts that flow.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from x2desk.core.kinds import FLOWS
from x2desk.i18n import _
from x2desk.ui.choose import ChoiceCard
from x2desk.ui.common.widgets import label
from x2desk.ui.kiosk.language_switch import LanguageSwitch


class TopBar(QFrame):
    """The brand's logo and title; the language switch (shown on the start screen only)."""

    def __init__(self, logo: Path | None, scale: float, demo: bool) -> None:
        super().__init__()
        self.setObjectName("kioskTopBar")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(int(28 * scale), int(8 * scale), int(28 * scale), int(8 * scale))
        lay.setSpacing(int(16 * scale))
        self.logo = label("", "kioskLogo", wrap=False)
        if logo is not None:
            pixmap = QPixmap(str(logo))
            if not pixmap.isNull():
                side = int(40 * scale)
                self.logo.setPixmap(
                    pixmap.scaled(
                        QSize(side * 3, side),
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                )
        self.logo.setVisible(self.logo.pixmap() is not None and not self.logo.pixmap().isNull())
        lay.addWidget(self.logo)
        self.title = label("", "kioskTitle")
        lay.addWidget(self.title, 1)
        self.badge = label("", "kioskBadge", wrap=False)
        self.badge.setVisible(demo)
        lay.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        self.languages = LanguageSwitch()
        lay.addWidget(self.languages)

    def set_title(self, title: str) -> None:
        self.title.setText(title)
        self.badge.setText(_("DEMO"))


class FlowCard(ChoiceCard):
    """A big card: the flow's title over what it asks for. One tap chooses it (no selection
    first, unlike the window's chooser)."""

    def __init__(self, flow_id: str, scale: float = 1.0) -> None:
        super().__init__("", "")
        self.flow_id = flow_id
        self.setObjectName(f"kioskFlow_{flow_id}")
        self.setCheckable(False)
        self.setProperty("choice", False)
        self.setProperty("kioskCard", True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        across, down = int(20 * scale), int(12 * scale)
        self._lay.setContentsMargins(across, down, across, down)
        self._lay.setSpacing(int(6 * scale))
        self._lay.insertStretch(0, 1)
        self._lay.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        flow = FLOWS[self.flow_id]
        self.title_label.setText(_(flow.title))
        self.description_label.setText(_(flow.detail))
        self.setAccessibleName(_(flow.title))


def columns_for(count: int) -> int:
    """Cards per row: two or three, so rows stay few and cards wide enough to read."""
    return 2 if count in (2, 4) else min(3, max(1, count))


class StartScreen(QWidget):
    """Signals: ``chosen(flow_id)`` when a card is tapped."""

    chosen = Signal(str)

    def __init__(self, flows: list[str], scale: float = 1.0) -> None:
        super().__init__()
        self.setObjectName("kioskStart")
        lay = QVBoxLayout(self)
        margin = int(40 * scale)
        lay.setContentsMargins(0, 0, 0, 0)
        box = QWidget()  # the welcome and the cards, centred; scrolled when they do not fit
        box.setObjectName("kioskCards")
        inner = QVBoxLayout(box)
        inner.setContentsMargins(margin, int(14 * scale), margin, int(14 * scale))
        inner.setSpacing(int(14 * scale))
        self.welcome = label("", "kioskWelcome")
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        inner.addStretch(1)
        inner.addWidget(self.welcome)
        grid = QGridLayout()
        grid.setSpacing(int(14 * scale))
        self.cards: dict[str, FlowCard] = {}
        per_row = columns_for(len(flows))
        for index, flow_id in enumerate(flows):
            card = FlowCard(flow_id, scale)
            card.setMinimumHeight(int(96 * scale))
            card.setMaximumHeight(int(220 * scale))
            card.clicked.connect(lambda _c=False, f=flow_id: self.chosen.emit(f))
            card.activated.connect(lambda f=flow_id: self.chosen.emit(f))  # Enter on it
            self.cards[flow_id] = card
            grid.addWidget(card, index // per_row, index % per_row)
        for column in range(per_row):
            grid.setColumnStretch(column, 1)
        inner.addLayout(grid, 4)
        inner.addStretch(1)
        # Many flows on a small screen: the cards keep the height their words need and the
        # list scrolls (a finger drags it) instead of squeezing the cards until words are cut.
        self.cards_scroll = QScrollArea()
        self.cards_scroll.setObjectName("kioskCardsScroll")
        self.cards_scroll.setWidget(box)
        self.cards_scroll.setWidgetResizable(True)
        self.cards_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.cards_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(
            self.cards_scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture
        )
        lay.addWidget(self.cards_scroll)

    def retranslate(self, welcome: str) -> None:
        self.welcome.setText(welcome)
        for card in self.cards.values():
            card.retranslate()
