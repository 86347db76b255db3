"""QR tickets: a random secret in the QR code, a short code printed under it for typing.

Neither carries personal data; both only point to a registration through a unique index.
"""

import io
import secrets

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.pil import PilImage
from qrcode.image.svg import SvgPathImage

# No 0/O, 1/I/L: staff type the code from a phone screen or a printout at the door.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
# qrcode tries all eight masks to pick the most readable one, which costs ~6 ms per code;
# one fixed mask reads as well for these short codes and keeps rendering a mail cheap.
QR_MASK_PATTERN = 2


def new_ticket_secret() -> str:
    return secrets.token_urlsafe(24)


def new_ticket_code() -> str:
    # One draw from all possible codes (one read of the system's randomness, not one per letter).
    number = secrets.randbelow(len(CODE_ALPHABET) ** CODE_LENGTH)
    letters = []
    for _ in range(CODE_LENGTH):
        number, letter = divmod(number, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[letter])
    return "".join(letters)


def display_code(code: str) -> str:
    """ABCD-EFGH: two groups of four are easier to read out and type."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def normalize_code(typed: str) -> str:
    """What staff typed, as stored: case, spaces and dashes do not count."""
    return "".join(char for char in typed.upper() if char.isalnum())


def _qr(secret: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4, mask_pattern=QR_MASK_PATTERN)
    code.add_data(secret)
    code.make(fit=True)
    return code


def qr_png(secret: str) -> bytes:
    buffer = io.BytesIO()
    _qr(secret).make_image(image_factory=PilImage).save(buffer)
    return buffer.getvalue()


def qr_svg(secret: str) -> str:
    """Inline SVG markup for the manage page (no style attributes: the CSP forbids them)."""
    return _qr(secret).make_image(image_factory=SvgPathImage).to_string(encoding="unicode")
