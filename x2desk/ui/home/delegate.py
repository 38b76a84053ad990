"""How the home table paints a connection's first column: its label in bold over a muted line
that tells it apart (the chat, the instance, the provider's connection id); the other columns
are Qt's own (an icon beside a word), with the same padding. Imported when the first rows are
shown (after start-up), not with the home view.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from x2desk.ui.common.theme import colors
from x2desk.ui.home.model import DETAIL_ROLE, LABEL

PAD_X, PAD_Y, GAP = 12, 8, 2


def title_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setWeight(QFont.Weight.DemiBold)
    return font


def row_height(base: QFont) -> int:
    """A row: the bold label and the detail line, with room around them."""
    return QFontMetrics(title_font(base)).height() + GAP + QFontMetrics(base).height() + 2 * PAD_Y


class ConnectionDelegate(QStyledItemDelegate):
    """Paints the label column as two lines; the rest as Qt does, padded alike."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + 2 * PAD_X, row_height(option.font))

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideRight

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        if index.column() != LABEL:  # padded by the style sheet (QTableView::item)
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        label, detail = opt.text, str(index.data(DETAIL_ROLE) or "")
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:  # background, selection and focus as the style says
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        c = colors()
        bold = title_font(option.font)
        r = opt.rect.adjusted(PAD_X, PAD_Y, -4, -PAD_Y)
        title_h = QFontMetrics(bold).height()
        painter.save()
        painter.setFont(bold)
        painter.setPen(QColor(c.text))
        elided = QFontMetrics(bold).elidedText(label, Qt.TextElideMode.ElideRight, r.width())
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        painter.drawText(QRect(r.x(), r.y(), r.width(), title_h), flags, elided)
        painter.setFont(option.font)
        painter.setPen(QColor(c.muted))
        metrics = QFontMetrics(option.font)
        elided = metrics.elidedText(detail, Qt.TextElideMode.ElideRight, r.width())
        below = QRect(r.x(), r.y() + title_h + GAP, r.width(), metrics.height())
        painter.drawText(below, flags, elided)
        painter.restore()
