"""The camera preview: the latest frame, a viewfinder, and a green outline on a detected code.

It only paints what it is given (:meth:`Viewfinder.set_frame`); frames arrive from the capture
thread by queued signal, the newest wins, and painting scales a QImage: no decoding here.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

Corners = Sequence[Sequence[tuple[float, float]]]


class Viewfinder(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("viewfinder")
        self.setAccessibleName("Camera preview")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 200)
        self._image: QImage | None = None
        self._corners: list[list[tuple[float, float]]] = []
        self.mirror = False
        self.message = ""
        self.accepted = False
        self.frames_painted = 0

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(640, 360)

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

    @property
    def has_outline(self) -> bool:
        return bool(self._corners)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect())
        clip = QPainterPath()
        clip.addRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), 12, 12)
        p.setClipPath(clip)
        p.fillRect(r, QColor("#101317"))
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
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            p.drawImage(target, img)
            for poly in self._corners:
                pts = QPolygonF(
                    [QPointF(target.x() + x * scale, target.y() + y * scale) for x, y in poly]
                )
                color = QColor("#22c55e")
                p.setPen(QPen(color, 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                              Qt.PenJoinStyle.RoundJoin))  # fmt: skip
                fill = QColor(color)
                fill.setAlpha(50)
                p.setBrush(fill)
                p.drawPolygon(pts)
            p.restore()
            self.frames_painted += 1
        self._paint_viewfinder(p, r)
        if self.message:
            p.setClipping(False)
            p.setPen(QColor("#e6e9ef"))
            f = p.font()
            f.setPointSizeF(f.pointSizeF() * 1.1)
            p.setFont(f)
            band = QRectF(r.x() + 16, r.bottom() - 56, r.width() - 32, 40)
            p.fillRect(band, QColor(0, 0, 0, 140))
            p.drawText(band, Qt.AlignmentFlag.AlignCenter, self.message)
        p.end()

    def _paint_viewfinder(self, p: QPainter, r: QRectF) -> None:
        side = min(r.width(), r.height()) * 0.62
        box = QRectF(r.center().x() - side / 2, r.center().y() - side / 2, side, side)
        arm = side * 0.14
        color = (
            QColor("#22c55e") if (self.accepted or self._corners) else QColor(255, 255, 255, 210)
        )
        p.setPen(QPen(color, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.setBrush(Qt.BrushStyle.NoBrush)
        x0, y0, x1, y1 = box.left(), box.top(), box.right(), box.bottom()
        for cx, cy, dx, dy in ((x0, y0, 1, 1), (x1, y0, -1, 1), (x0, y1, 1, -1), (x1, y1, -1, -1)):
            p.drawLine(QPointF(cx, cy), QPointF(cx + dx * arm, cy))
            p.drawLine(QPointF(cx, cy), QPointF(cx, cy + dy * arm))
