"""How the home list paints a saved connection: a bold title over a muted detail line.

Imported when the first rows are shown (after start-up), not with the home view.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from x2desk.ui.common.theme import colors

TITLE_ROLE = Qt.ItemDataRole.UserRole + 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2


class ConnectionDelegate(QStyledItemDelegate):
    """Paints a saved connection as a bold title over a muted detail line."""

    PAD_X, PAD_Y, GAP = 16, 10, 3

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setWeight(QFont.Weight.DemiBold)
        title.setPointSizeF(option.font.pointSizeF() * 1.12)
        return title, QFont(option.font)

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:  # noqa: N802
        title, detail = self._fonts(option)
        h = QFontMetrics(title).height() + self.GAP + QFontMetrics(detail).height()
        return QSize(200, h + 2 * self.PAD_Y)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        opt.icon = QIcon()
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:  # background, selection and focus as the style sheet says
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        c = colors()
        title_font, detail_font = self._fonts(option)
        r = option.rect.adjusted(self.PAD_X, self.PAD_Y, -self.PAD_X, -self.PAD_Y)
        painter.save()
        painter.setFont(title_font)
        painter.setPen(QColor(c.text))
        th = QFontMetrics(title_font).height()
        painter.drawText(
            QRect(r.x(), r.y(), r.width(), th),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            str(index.data(TITLE_ROLE) or ""),
        )
        painter.setFont(detail_font)
        painter.setPen(QColor(c.muted))
        painter.drawText(
            QRect(r.x(), r.y() + th + self.GAP, r.width(), r.height() - th - self.GAP),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            str(index.data(DETAIL_ROLE) or ""),
        )
        painter.restore()
