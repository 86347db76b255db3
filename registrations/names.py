"""Names of registrants: as we keep them, and as we compare them to tell one person from two.

A person is an address and a name (the unique index `one_active_registration_per_person`), so
that a household may share an address. A name that only *looks* the same must therefore be the
same name, or one address takes any number of seats with "Max\u200bMuster", "Max Muster\u00ad"
or "M\u0430x Muster" (Cyrillic а), names that look identical in the organisers' list.
"""

import re
import unicodedata

# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties) beyond the format characters
# (category Cf, which covers zero-width spaces and joiners, bidi controls, the soft hyphen and
# the BOM): variation selectors, the combining grapheme joiner, Hangul fillers, Mongolian free
# variation selectors. Nobody means them in a name; they are dropped before storing, too.
_IGNORABLE_RANGES = (
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFFA0, 0xFFA0),
    (0xE0100, 0xE01EF),
)

# Cyrillic and Greek letters (after case folding) that look exactly like a Latin one. Not the
# whole skeleton of Unicode TS 39: that also folds Latin letters among themselves ("rn" and "m",
# "l" and "I"), which would make different members of one household one person. Each script
# maps to distinct Latin letters, so two names of one script stay apart as before.
_LATIN_LOOK_ALIKES = str.maketrans(
    {
        "а": "a",
        "с": "c",
        "ԁ": "d",
        "е": "e",
        "һ": "h",
        "і": "i",
        "ј": "j",
        "ӏ": "l",
        "о": "o",
        "р": "p",
        "ԛ": "q",
        "ѕ": "s",
        "ԝ": "w",
        "х": "x",
        "у": "y",
        "α": "a",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "υ": "u",
        "χ": "x",
    }
)

# The ranges above as one character class, for the quick look of `clean_name`.
_IGNORABLE_IN_RANGES = re.compile("[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in _IGNORABLE_RANGES) + "]")

NAME_NORMALIZED_LENGTH = 200


def _is_ignorable(character: str) -> bool:
    if unicodedata.category(character) in ("Cf", "Cc"):
        return True
    point = ord(character)
    return any(low <= point <= high for low, high in _IGNORABLE_RANGES)


def clean_name(name: str) -> str:
    """The name as we keep and show it: without invisible characters, runs of spaces (and tabs,
    line breaks) as one space, nothing around it."""
    spaced = " ".join(name.split())
    # The usual name has nothing invisible in it: no format or control character (neither is
    # printable) and none of the ranges. Only other names are looked at character by character.
    if spaced.isprintable() and not _IGNORABLE_IN_RANGES.search(spaced):
        return spaced
    return " ".join("".join(c for c in spaced if not _is_ignorable(c)).split())


def normalize_name(name: str) -> str:
    """The form names are compared in: "Anna  Müller", "anna müller", "Anna\u200bMüller",
    "Ａｎｎａ Müller" (NFKC) and "Аnna Müller" (a Cyrillic А) are one person. Spaces do not count
    at all: an invisible character between two words shows as no space, or as one."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", clean_name(name)).casefold())
    return "".join(folded.translate(_LATIN_LOOK_ALIKES).split())[:NAME_NORMALIZED_LENGTH]
