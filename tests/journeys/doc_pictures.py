"""Pictures for docs/: a journey that walks a guide's steps saves its screenshots into
docs/img/<guide>/ as well, but only when SAVE_DOC_SCREENSHOTS=1 is set, so that a test run (CI)
never rewrites the repository. The pictures are 1280 px wide (the journeys' window), the page's
full height, reduced to a 256-colour palette: a few dozen kilobytes each."""

import os
from pathlib import Path

from PIL import Image

from tests.journeys.browser import Journey

DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "img"
SWITCH = "SAVE_DOC_SCREENSHOTS"


def saving() -> bool:
    return os.environ.get(SWITCH) == "1"


def picture(journey: Journey, guide: str, number: int, name: str) -> None:
    """Check the page as every step does (`journey.step`), and keep it as picture `number` of the guide."""
    journey.step(name)
    if not saving():
        return
    folder = DOCS_IMAGES / guide
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{number:02d}-{name}-{journey.language}.png"
    journey.page.screenshot(path=path, full_page=True)
    with Image.open(path) as shot:
        small = shot.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)
