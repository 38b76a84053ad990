"""`x2desk scan FILE... [--json]`: exit codes, the JSON lines, the human lines, the messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from x2desk.cli import main
from x2desk.core.errors import UnreadableImage

TOKEN = "0b8c33d5-3f4e-4a57-9a0e-2f7d8c1b6a55"


@pytest.fixture
def images(tmp_path: Path, qr_media: Any) -> dict[str, Path]:
    import cv2

    made = {
        "token": qr_media.frame(f"x2chat://bot/integrate?token={TOKEN.upper()}"),
        "web": qr_media.frame("https://example.com/hello"),
        "blank": qr_media.frame(None),
        "webhook": qr_media.frame("x2chat://webhook/connect?secret=s3cr3t-per-connection"),
    }
    paths = {}
    for name, frame in made.items():
        paths[name] = tmp_path / f"{name}.png"
        cv2.imwrite(str(paths[name]), frame)
    paths["junk"] = tmp_path / "junk.png"
    paths["junk"].write_text("not an image")
    return paths


def lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


def test_json_lines_per_file(images: dict[str, Path], capsys: Any) -> None:
    files = [str(images[n]) for n in ("token", "web", "blank")]
    assert main(["scan", "--json", *files]) == 0
    token, web, blank = lines(capsys.readouterr().out)
    assert token["file"] == files[0]
    assert token["codes"] == [
        {
            "text": f"x2chat://bot/integrate?token={TOKEN.upper()}",
            "kind": "integration_token",
            "token": TOKEN,
        }
    ]
    assert web["codes"] == [{"text": "https://example.com/hello", "kind": "url", "token": None}]
    assert blank["codes"] == []
    assert all(isinstance(r["ms"], float) and r["ms"] >= 0 for r in (token, web, blank))


def test_unreadable_file_fails_with_one_clear_line(images: dict[str, Path], capsys: Any) -> None:
    code = main(["scan", "--json", str(images["junk"]), str(images["token"])])
    assert code == UnreadableImage.exit_code != 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "x2desk: junk.png is not an image x2desk can read. Use PNG, JPEG, BMP, WebP or TIFF."
    ]
    junk, token = lines(captured.out)  # the other files are still decoded
    assert junk["codes"] == [] and "junk.png" in junk["error"]
    assert token["codes"][0]["token"] == TOKEN


def test_missing_file(tmp_path: Path, capsys: Any) -> None:
    assert main(["scan", str(tmp_path / "nope.png")]) == UnreadableImage.exit_code
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("x2desk: No file at") and captured.err.count("\n") == 1


def test_human_lines(images: dict[str, Path], capsys: Any) -> None:
    files = [str(images[n]) for n in ("token", "blank", "webhook")]
    assert main(["scan", *files]) == 0
    token, blank, webhook = capsys.readouterr().out.splitlines()
    assert token.startswith(f"{files[0]}: 1 QR code (")
    assert token.endswith(f"integration token x2chat://bot/integrate?token={TOKEN.upper()}")
    assert blank.startswith(f"{files[1]}: no QR code found (")
    assert "webhook qr x2ch…ion" in webhook and "s3cr3t" not in webhook


def test_no_files_is_a_usage_error(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["scan"])
    assert exit_info.value.code == 2
    assert "FILE" in capsys.readouterr().err


def test_every_sample_photo_scans_without_an_error(qr_samples: Path, capsys: Any) -> None:
    files = sorted(str(p) for p in qr_samples.rglob("*") if p.suffix in {".png", ".jpg", ".webp"})
    assert main(["scan", "--json", *files]) == 0
    records = lines(capsys.readouterr().out)
    assert [r["file"] for r in records] == files
    read = [r for r in records if "/qrcode-" in r["file"] and r["codes"]]
    assert len(read) >= 120
    assert not any(r["codes"] for r in records if "/falsepositives-" in r["file"])


def test_a_codes_terminal_sequences_are_escaped(tmp_path: Path, qr_media: Any, capsys: Any) -> None:
    """Issue 17 item 9: a QR's text was printed as is (clear-screen, title sequences)."""
    import cv2

    hostile = "\x1b]0;pwned\x07\x1b[2Jhttps://x2chat.com\u202egpj.exe"
    path = tmp_path / "hostile.png"
    cv2.imwrite(str(path), qr_media.frame(hostile, size=(480, 480), code_px=400))
    assert main(["scan", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\x1b]0;pwned\\x07\\x1b[2J" in out and "\\u202e" in out
    assert main(["scan", "--json", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert lines(out)[0]["codes"][0]["text"] == hostile  # the JSON still holds the exact text
