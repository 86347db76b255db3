"""The UI kit's two block tags: a part of a page whose frame is shared and whose inside is the
page's own (`component`), and a KERN data table (`kern_table`).

    {% component "ideas/_idea_card.html" idea=idea large=True %}
      … the card's body, written by the page …
    {% slot "footer" %}
      … its footer …
    {% endcomponent %}

renders the template with the keyword values and `slots` (`slots.body`, `slots.footer`, …: the
page's parts, rendered in the page's context; a slot left out or blank is empty), as `include`
would, so the frame is written once and each page keeps what is its own next to the rest of it.
What comes before the first `slot` is the body; a page may also name it (`{% slot "body" %}`)
after other slots.

    {% kern_table caption=_("Seats per seat type") small=True empty=_("No seats.") %}
      {% column _("Seat type") %}{% column _("Capacity") numeric=True %}
    {% rows %}
      {% for pool in pools %}<tr class="kern-table__row">…</tr>{% endfor %}
    {% endkern_table %}

renders templates/core/_kern_table.html: the table in its scrolling frame, always with a caption
(`caption_hidden=True` shows it to screen readers only), a header cell with `scope="col"` per
column, and the `empty` text in one row across all columns when there are no rows. A column with
`sort="key"` is a link that orders the table by it (`?sort=key`, again for the reverse order,
`?sort=-key`); the table's `order` names the current order, which that column marks with
`aria-sort`. Options: `id`, `small`, `striped`, `frame` (classes of the frame, e.g. "section").
"""

from dataclasses import dataclass

from django import template
from django.http import QueryDict
from django.template.base import TextNode, token_kwargs
from django.utils.safestring import mark_safe

register = template.Library()

COLUMNS = "_kern_table_columns"
ORDER = "_kern_table_order"
TABLE_OPTIONS = {"caption", "caption_hidden", "id", "small", "striped", "frame", "empty", "order"}


def parse_options(parser, bits: list[str], tag: str, allowed: set[str] | None = None) -> dict:
    options = token_kwargs(bits, parser, support_legacy=False)
    if bits:
        raise template.TemplateSyntaxError(f"{tag}: only name=value options, not {bits[0]!r}")
    unknown = set(options) - allowed if allowed is not None else set()
    if unknown:
        raise template.TemplateSyntaxError(f"{tag}: unknown options {sorted(unknown)}")
    return options


def resolved(options: dict, context) -> dict:
    return {name: value.resolve(context) for name, value in options.items()}


class Slots(dict):
    """A missing slot is empty, so that a frame may ask for any of its slots."""

    def __missing__(self, name):
        return ""


def rendered(nodes, context) -> str:
    """A part of the page, rendered in the page's context: escaped there, so safe as it is."""
    return mark_safe(nodes.render(context).strip())  # noqa: S308


def frame_template(context, name: str):
    """The frame, loaded once per rendering of the page (as `include` does), however many times a
    loop renders it."""
    loaded = context.render_context.setdefault("_kit_frames", {})
    if name not in loaded:
        loaded[name] = context.template.engine.get_template(name)
    return loaded[name]


def is_blank(nodes) -> bool:
    """Nothing but white space (before the first slot, where a page names every slot itself)."""
    return all(isinstance(node, TextNode) and not node.s.strip() for node in nodes)


class ComponentNode(template.Node):
    def __init__(self, template_name, options: dict, slots: dict):
        self.template_name, self.options, self.slots = template_name, options, slots

    def render(self, context):
        slots = Slots({name: rendered(nodes, context) for name, nodes in self.slots.items()})
        frame = frame_template(context, self.template_name.resolve(context))
        with context.push(**resolved(self.options, context), slots=slots):
            return frame.render(context)


@register.tag
def component(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("component: the template to render is missing")
    template_name = parser.compile_filter(bits[1])
    options = parse_options(parser, bits[2:], "component")
    slots, name = {}, "body"
    while True:
        slots[name] = parser.parse(("slot", "endcomponent"))
        following = parser.next_token()
        if following.contents == "endcomponent":
            return ComponentNode(template_name, options, slots)
        slot_bits = following.split_contents()
        if len(slot_bits) != 2:
            raise template.TemplateSyntaxError('slot: one name, as in {% slot "footer" %}')
        name = slot_bits[1].strip("\"'")
        if name in slots and not (name == "body" and is_blank(slots["body"])):
            raise template.TemplateSyntaxError(f"slot {name!r} given twice")


@dataclass
class Column:
    label: str
    numeric: bool = False
    sort_url: str = ""
    sorted: str = ""  # aria-sort of the column the table is ordered by


def sort_link(request, key: str, order: str) -> str:
    """The current list (its filters kept, from its first page) ordered by `key`, or by `-key`
    where it already is ordered by `key`."""
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query.pop("page", None)
    query["sort"] = f"-{key}" if order == key else key
    return "?" + query.urlencode()


class ColumnNode(template.Node):
    def __init__(self, label, options: dict):
        self.label, self.options = label, options

    def render(self, context):
        if COLUMNS not in context:
            raise template.TemplateSyntaxError("column: only between {% kern_table %} and {% rows %}")
        options = resolved(self.options, context)
        column = Column(self.label.resolve(context), numeric=bool(options.get("numeric")))
        if key := options.get("sort"):
            order = context[ORDER] or ""
            column.sort_url = sort_link(context.get("request"), key, order)
            column.sorted = {key: "ascending", f"-{key}": "descending"}.get(order, "")
        context[COLUMNS].append(column)
        return ""


@register.tag
def column(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("column: the label is missing")
    return ColumnNode(parser.compile_filter(bits[1]), parse_options(parser, bits[2:], "column", {"numeric", "sort"}))


class KernTableNode(template.Node):
    def __init__(self, options: dict, head, rows):
        self.options, self.head, self.rows = options, head, rows

    def render(self, context):
        options = resolved(self.options, context)
        if not str(options.get("caption") or "").strip():
            raise template.TemplateSyntaxError("kern_table: every table needs a caption")
        columns: list[Column] = []
        with context.push(**{COLUMNS: columns, ORDER: options.get("order")}):
            self.head.render(context)  # only collects the columns
        rows = rendered(self.rows, context)
        frame = frame_template(context, "core/_kern_table.html")
        with context.push(table=options, columns=columns, rows=rows):
            return frame.render(context)


@register.tag
def kern_table(parser, token):
    bits = token.split_contents()
    options = parse_options(parser, bits[1:], "kern_table", TABLE_OPTIONS)
    if "caption" not in options:
        raise template.TemplateSyntaxError("kern_table: every table needs a caption")
    head = parser.parse(("rows",))
    parser.delete_first_token()
    rows = parser.parse(("endkern_table",))
    parser.delete_first_token()
    return KernTableNode(options, head, rows)
