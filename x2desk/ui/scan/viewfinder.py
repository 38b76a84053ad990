"""The camera preview: the latest frame, a viewfinder, and a green outline on a detected code.

It only paints what it is given (:meth:`Viewfinder.set_frame`); frames arrive from the capture
thread by queued signal, the newest wins, and painting scales a QImage: no decoding here.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from x2desk.i18n import _

Corners = Sequence[Sequence[tuple[float, float]]]

RADIUS = 12
SCREEN = QColor("#101317")
OUTLINE = QColor("#22c55e")


class Viewfinder(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("viewfinder")
        self.setAccessibleName(_("Camera preview"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 200)
        self._image: QImage | None = None
        self._corners: list[list[tuple[float, float]]] = []
        self.mirror = False
        self.message = ""
        self.accepted = False
        self.frames_painted = 0
        self._corner_mask: QPainterPath | None = None

    def sizeHint(self) -> QSize:  # noqa: N802
        """Its least size: it grows into whatever room the page has (a stretch), while a small
        screen's page does not scroll for a preview that could be smaller."""
        return self.minimumSize()

    def set_frame(self, image: QImage, corners: Corners = ()) -> None:
        self._image = image
        self._corners = [list(map(tuple, poly)) for poly in corners]  # type: ignore[arg-type]
        self.update()

    def clear(self, message: str = "") -> None:
        self._image = None
        self._corners = []
        self.message = message
        self.accepted = False
        self.update()

    def set_message(self, message: str) -> None:
        self.message = message
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        self._corner_mask = None
        super().resizeEvent(event)

    def _corners_path(self, r: QRectF) -> QPainterPath:
        """The four corners outside the rounded frame (painted over in the window's colour:
        cheaper than clipping every frame to a rounded path)."""
        if self._corner_mask is None:
            outer = QPainterPath()
            outer.addRect(r)
            inner = QPainterPath()
            inner.addRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), RADIUS, RADIUS)
            self._corner_mask = outer.subtracted(inner)
        return self._corner_mask

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        # Runs on the GUI thread for every frame (30 fps): no clip paths, no smooth scaling, no
        # format conversion here; the frame arrives as a finished QImage from the capture thread.
        p = QPainter(self)
        r = QRectF(self.rect())
        p.fillRect(r, SCREEN)
        img = self._image
        if img is not None and not img.isNull():
            iw, ih = img.width(), img.height()
            scale = min(r.width() / iw, r.height() / ih)
            w, h = iw * scale, ih * scale
            target = QRectF((r.width() - w) / 2, (r.height() - h) / 2, w, h)
            p.save()
            if self.mirror:
                p.translate(r.width(), 0)
                p.scale(-1, 1)
            p.drawImage(target, img)
            if self._corners:
                p.setRenderHint(QPainter.RenderHint.Antialiasing)
                fill = QColor(OUTLINE)
                fill.setAlpha(50)
                p.setPen(QPen(OUTLINE, 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                              Qt.PenJoinStyle.RoundJoin))  # fmt: skip
                p.setBrush(fill)
                for poly in self._corners:
                    p.drawPolygon(
                        QPolygonF(
                            [QPointF(target.x() + x * scale, target.y() + y * scale)
                             for x, y in poly]
                        )
                    )  # fmt: skip
            p.restore()
            self.frames_painted += 1
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_viewfinder(p, r)
        if self.message:
            p.setPen(QColor("#e6e9ef"))
            f = p.font()
            f.setPointSizeF(f.pointSizeF() * 1.1)
            p.setFont(f)
            band = QRectF(r.x() + 16, r.bottom() - 56, r.width() - 32, 40)
            p.setBrush(QColor(0, 0, 0, 150))
            p.setPen(Qt.PenStyle.NoPen)
            p.drawRoundedRect(band, 8, 8)
            p.setPen(QColor("#e6e9ef"))
            p.drawText(band, Qt.AlignmentFlag.AlignCenter, self.message)
        p.fillPath(self._corners_path(r), self.palette().window())
        p.end()

    def _paint_viewfinder(self, p: QPainter, r: QRectF) -> None:
        side = min(r.width(), r.height()) * 0.62
        box = QRectF(r.center().x() - side / 2, r.center().y() - side / 2, side, side)
        arm = side * 0.14
        color = OUTLINE if (self.accepted or self._corners) else QColor(255, 255, 255, 210)
        p.setPen(QPen(color, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.setBrush(Qt.BrushStyle.NoBrush)
        x0, y0, x1, y1 = box.left(), box.top(), box.right(), box.bottom()
        for cx, cy, dx, dy in ((x0, y0, 1, 1), (x1, y0, -1, 1), (x0, y1, 1, -1), (x1, y1, -1, -1)):
            p.drawLine(QPointF(cx, cy), QPointF(cx + dx * arm, cy))
            p.drawLine(QPointF(cx, cy), QPointF(cx, cy + dy * arm))
