"""Screenshots of the home view with 30 connections of every kind, on a 1366x768 screen, light
and dark, English and Russian (what issue 14 asks to look at; one of them is in the README).

    python tools/home_screenshots.py OUT_DIR        # home-{light,dark}-{en,ru}.png

Each picture is made by a child process on Qt's offscreen platform with a 1366x768 screen, in a
throwaway data folder filled with made-up connections (no secret: the list holds none).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SCREEN = (1366, 768)
LABELS = {  # language -> kind -> labels (30 in all)
    "en": {
        "x2chat_bot": ["@flowershop_orders_bot", "@flowershop_news_bot", "@delivery_desk_bot",
                       "@weddings_flowers_bot"],
        "telegram": ["Anna (florist)", "Front desk Telegram", "Night shift", "Owner's Telegram",
                     "Wedding orders"],
        "whatsapp": ["Front desk WhatsApp", "Deliveries WhatsApp", "Anna WhatsApp",
                     "Corporate orders", "Kiosk 2 WhatsApp"],
        "max_personal": ["Front desk MAX", "Deliveries MAX", "Owner's MAX"],
        "telegram_bot": ["Support bot", "Orders bot", "Reminders bot", "Courier bot"],
        "odnoklassniki": ["Flower shop on OK", "Weddings group"],
        "greenapi": ["Green-API {id} · +79161234567", "Warehouse Telegram",
                     "Kiosk 3 Telegram", "Green-API {id} · +79031112233",
                     "Market stall Telegram", "Greenhouse Telegram", "Courier Telegram"],
    },
    "ru": {
        "x2chat_bot": ["@flowershop_orders_bot", "@flowershop_news_bot", "@delivery_desk_bot",
                       "@weddings_flowers_bot"],
        "telegram": ["Анна (флорист)", "Ресепшн Telegram", "Ночная смена", "Telegram владельца",
                     "Свадебные заказы"],
        "whatsapp": ["Ресепшн WhatsApp", "Доставка WhatsApp", "Анна WhatsApp",
                     "Корпоративные заказы", "Киоск 2 WhatsApp"],
        "max_personal": ["Ресепшн MAX", "Доставка MAX", "MAX владельца"],
        "telegram_bot": ["Бот поддержки", "Бот заказов", "Бот напоминаний", "Бот курьеров"],
        "odnoklassniki": ["Цветочный в ОК", "Группа «Свадьбы»"],
        "greenapi": ["Green-API {id} · +79161234567", "Склад Telegram",
                     "Киоск 3 Telegram", "Green-API {id} · +79031112233",
                     "Ярмарка Telegram", "Теплица Telegram", "Курьер Telegram"],
    },
}  # fmt: skip
COMPANY = {"en": "Flower shop", "ru": "Цветочный"}
PROFILES = {"en": ("Flower shop", "Corner bakery"), "ru": ("Цветочный магазин", "Пекарня на углу")}
# (status, reason) by the row's number; most work, a few need a look
TROUBLE = {
    3: ("needs_reauth", "Logged out at the provider: re-authorise it."),
    11: ("needs_reauth", "Not paired any more: pair it again."),
    7: ("unpaid", "Not active: outside the paid subscription (the provider says 'waiting')."),
    19: ("check_failed", "Sleep mode: the phone with the account is off or offline."),
    5: ("not_checked", None),
    23: ("not_checked", None),
    28: ("not_checked", None),
}


def fill(lang: str = "en") -> None:
    """30 connections of every kind in the data folder $X2DESK_HOME, named in ``lang``."""
    from x2desk.core import profiles
    from x2desk.core.clock import FakeClock
    from x2desk.core.status import Status
    from x2desk.core.store.records import RecordStore

    own, other = PROFILES[lang]
    profiles.set_title("default", own)
    profiles.add_profile("bakery", other)
    clock = FakeClock(start=1_798_000_000.0)
    names = [(k, label) for k, labels in LABELS[lang].items() for label in labels]
    with RecordStore.open(clock=clock) as records:
        for n, (kind, label) in enumerate(names):
            bot = kind == "x2chat_bot"
            company = {"company_id": 12, "company": COMPANY[lang]}
            external = 1101000000 + n if kind == "greenapi" else 4000 + n
            record = records.upsert(
                kind,
                external,
                label=label.format(id=external),
                username=label.lstrip("@") if bot else None,
                chat_id=-100200300 - n if bot else None,
                details={} if bot or kind == "greenapi" else company,
            )
            status, reason = TROUBLE.get(n, ("works", "Active at the provider."))
            clock.advance(41 * 60)
            if status != "not_checked":
                records.set_status(record.id, Status(status), reason)


def shoot(out: Path, theme: str, lang: str) -> None:
    """One picture (in this process: the child's part)."""
    from PySide6.QtCore import QTimer

    from x2desk import i18n
    from x2desk.ui.app import ensure_app, make_settings
    from x2desk.ui.context import AppContext
    from x2desk.ui.main_window import MainWindow

    i18n.set_language(lang)  # what --lang does
    app = ensure_app()
    window = MainWindow(AppContext(), make_settings())
    window.showMaximized()
    path = out / f"home-{theme}-{lang}.png"

    def grab() -> None:
        if window.home.loading or not window.home.rows:
            QTimer.singleShot(100, grab)
            return
        window.grab().save(str(path), "PNG")
        print(f"{path} {window.width()}x{window.height()}", flush=True)
        app.quit()

    QTimer.singleShot(300, grab)
    app.exec()


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--fill":
        fill(argv[1])
        return 0
    if len(argv) == 4 and argv[0] == "--child":
        shoot(Path(argv[1]), argv[2], argv[3])
        return 0
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="x2desk-shots-"))
    screen = work / "screen.json"
    width, height = SCREEN
    spec = {"name": "s", "x": 0, "y": 0, "width": width, "height": height}
    spec |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    screen.write_text(json.dumps({"screens": [spec]}))
    for lang in ("en", "ru"):
        home = work / lang
        env = dict(os.environ, X2DESK_HOME=str(home))
        env["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
        subprocess.run([sys.executable, __file__, "--fill", lang], env=env, check=True)
        for theme in ("light", "dark"):
            child = dict(env, X2DESK_THEME=theme)
            subprocess.run(
                [sys.executable, __file__, "--child", str(out), theme, lang], env=child, check=True
            )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
