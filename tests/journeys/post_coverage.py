"""Every URL pattern that accepts POST is submitted from a real page by some journey.

The browser's POSTs are written by each test worker to files in one folder of the run
(JOURNEY_POSTS_DIR, made by the controlling process, inherited by the xdist workers); at the end
of a run that collected the whole journey folder, the controlling process compares them with
`post_routes()` and names every route no journey submitted.

`ENFORCED` is on: a route no journey submitted fails the run (with JOURNEY_POST_COVERAGE=report
the missing routes are only printed, for a run while a new journey is being written).
"""

import inspect
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import translation

ENFORCED = True

JOURNEYS = Path(__file__).resolve().parent
PROJECT_APPS = {"config", "core", "events", "registrations", "ideas", "live", "processes", "streaming", "reports"}

# Routes that accept POST but are no form on a page, with the reason.
NOT_FORMS = {
    "zoom_webhook": "Zoom's servers post signed JSON events; no page has a form for it",
}
# Whole families that are no forms of ours: the JSON API (clients, and the pages' scripts such as
# dot voting, which journeys drive through the page), and Django's own admin, whose forms Django
# tests (our throttled login in front of it is a view of ours and counts).
NOT_FORM_MODULES = ("ninja.", "django.")

# How a view of ours says it takes a POST when no require_POST / require_http_methods decorator
# says it for certain.
READS_A_POST = re.compile(r"request\.POST|request\.method [!=]= \"POST\"|require_POST")


def walk(patterns, namespace=None, prefix=""):
    """(namespace, full route, pattern) of every URL pattern."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or None
            joined = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from walk(pattern.url_patterns, joined, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield namespace, prefix + str(pattern.pattern), pattern


def view_name(namespace: str | None, pattern: URLPattern) -> str:
    """The name ResolverMatch.view_name gives this pattern: namespaced url name, else the view's path."""
    if pattern.name:
        return f"{namespace}:{pattern.name}" if namespace else pattern.name
    callback = pattern.callback
    return f"{callback.__module__}.{getattr(callback, '__qualname__', callback.__name__)}"


def functions_behind(view, seen=None):
    """The view and every function its decorators wrap (through __wrapped__ or a closure)."""
    seen = set() if seen is None else seen
    if not inspect.isfunction(view) or id(view) in seen:
        return
    seen.add(id(view))
    yield view
    yield from functions_behind(getattr(view, "__wrapped__", None), seen)
    for cell in view.__closure__ or ():
        try:
            yield from functions_behind(cell.cell_contents, seen)
        except ValueError:  # an empty cell
            continue


def accepts_post(view) -> bool:
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    reads_a_post = False
    for function in functions_behind(view):
        free = function.__code__.co_freevars
        if "request_method_list" in free:  # django.views.decorators.http.require_http_methods
            methods = function.__closure__[free.index("request_method_list")].cell_contents
            return "POST" in methods
        if function.__module__.split(".")[0] in PROJECT_APPS:
            reads_a_post = reads_a_post or bool(READS_A_POST.search(inspect.getsource(function)))
    return reads_a_post


def post_routes() -> dict[str, str]:
    """View name → route of every URL pattern that takes a form POST."""
    routes = {}
    for namespace, route, pattern in walk(get_resolver().url_patterns):
        name = view_name(namespace, pattern)
        module = getattr(pattern.callback, "__module__", "")
        if name in NOT_FORMS or module.startswith(NOT_FORM_MODULES):
            continue
        if accepts_post(pattern.callback):
            routes[name] = route
    return routes


def view_name_of(url: str) -> str | None:
    path = urlsplit(url).path
    language = "en" if path.startswith("/en/") else "de"
    with translation.override(language):
        try:
            return resolve(path).view_name
        except Resolver404:
            return None


# --- recording (test workers) and the check (the controlling process) ---

POSTS_DIR = "JOURNEY_POSTS_DIR"


def record_post(url: str) -> None:
    folder = os.environ.get(POSTS_DIR)
    if not folder:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with (Path(folder) / f"posts-{worker}.txt").open("a") as posts:
        posts.write(url + "\n")


def mark_whole_folder_collected(items, deselected) -> None:
    """Called after collection: the check only means something when every journey ran."""
    folder = os.environ.get(POSTS_DIR)
    if not folder:
        return
    ids = {item.nodeid for item in items if is_journey(item)}
    files = {item.path for item in items if is_journey(item)}
    all_files = set(JOURNEYS.glob("test_*.py"))
    left_out = [item for item in deselected if is_journey(item)]
    if ids and files == all_files and not left_out:
        (Path(folder) / "whole-folder").touch()


def is_journey(item) -> bool:
    return JOURNEYS in Path(item.path).parents


def submitted_routes(folder: Path) -> set[str]:
    names = set()
    for posts in folder.glob("posts-*.txt"):
        for url in posts.read_text().splitlines():
            name = view_name_of(url)
            if name:
                names.add(name)
    return names


def missing_routes(folder: Path) -> dict[str, str] | None:
    """The POST routes no journey submitted, or None when the run did not include every journey."""
    if not (folder / "whole-folder").exists():
        return None
    submitted = submitted_routes(folder)
    return {name: route for name, route in sorted(post_routes().items()) if name not in submitted}


def enforced() -> bool:
    setting = os.environ.get("JOURNEY_POST_COVERAGE", "")
    return setting == "enforce" or (ENFORCED and setting != "report")


def report(missing: dict[str, str], total: int) -> str:
    lines = [f"POST routes submitted by a journey: {total - len(missing)} of {total}."]
    if missing:
        lines.append("Not submitted from a real page by any journey:")
        lines += [f"  {name}  ({route})" for name, route in missing.items()]
    return "\n".join(lines)
