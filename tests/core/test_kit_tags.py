"""The UI kit's block tags (core/templatetags/kit.py): a component renders its frame around the
page's slots; a KERN table always has a caption, header cells with scope, an empty row across
all columns, and sortable columns that link to the other order and mark the current one."""

import pytest
from django.template import Context, TemplateSyntaxError, engines
from django.test import RequestFactory

django_engine = engines["django"]


def render(source: str, **context) -> str:
    return django_engine.from_string("{% load kit %}" + source).render(context)


@pytest.fixture
def frames(monkeypatch):
    """Frame templates by name, without files."""
    known = {
        "frame.html": "<div>{{ title }}|{{ slots.body }}|{{ slots.footer }}|{{ slots.missing }}</div>",
    }
    engine = django_engine.engine
    original = engine.get_template
    monkeypatch.setattr(
        engine, "get_template", lambda name: engine.from_string(known[name]) if name in known else original(name)
    )


def test_a_component_renders_its_frame_around_the_slots_of_the_page(frames):
    html = render(
        '{% component "frame.html" title=heading %}<b>{{ text }}</b>{% slot "footer" %}<i>end</i>{% endcomponent %}',
        heading="Hello & more",
        text="<body>",
    )
    assert html == "<div>Hello &amp; more|<b>&lt;body&gt;</b>|<i>end</i>|</div>"


def test_the_body_may_be_named_after_other_slots(frames):
    html = render('{% component "frame.html" %}\n  {% slot "footer" %}F{% slot "body" %}B{% endcomponent %}')
    assert html == "<div>|B|F|</div>"


def test_a_slot_given_twice_is_refused():
    with pytest.raises(TemplateSyntaxError):
        render('{% component "frame.html" %}{% slot "footer" %}a{% slot "footer" %}b{% endcomponent %}')


def test_the_idea_card_renders_the_idea_and_the_slots_of_the_page():
    class Idea:
        pk, title, text, client_id = 7, "Mehr Bänke <jetzt>", "Am Markt", ""

    html = render(
        '{% component "ideas/_idea_card.html" idea=idea anchor="idea" %}'
        '{% slot "preline" %}Thema{% slot "body" %}<p>mehr</p>{% slot "footer" %}<a>Aktion</a>{% endcomponent %}',
        idea=Idea(),
    )
    assert '<li class="kern-card" id="idea-7">' in html
    assert '<h3 class="kern-title">Mehr Bänke &lt;jetzt&gt;</h3>' in html
    assert '<p class="kern-preline">Thema</p>' in html
    assert '<p class="kern-body prewrap">Am Markt</p>' in html and "<p>mehr</p>" in html
    assert '<div class="kern-card__footer button-row"><a>Aktion</a></div>' in html


TABLE = """{% kern_table caption="Sitzplätze" small=True empty="Noch keine." order=order %}
  {% column "Art" %}{% column "Plätze" numeric=True %}{% column "Name" sort="name" %}
{% rows %}{% for row in rows %}<tr class="kern-table__row"><td>{{ row }}</td></tr>{% endfor %}
{% endkern_table %}"""


def test_a_kern_table_has_a_caption_and_header_cells_with_scope():
    html = render(TABLE, rows=["a"], order="")
    assert html.startswith('<div class="kern-table-responsive">\n<table class="kern-table kern-table--small">')
    assert '<caption class="kern-title">Sitzplätze</caption>' in html
    assert html.count('scope="col"') == 3
    assert '<th class="kern-table__header kern-table__header--numeric" scope="col">Plätze</th>' in html
    assert '<tr class="kern-table__row"><td>a</td></tr>' in html and "Noch keine." not in html


def test_a_kern_table_without_rows_says_so_across_all_columns():
    html = render(TABLE, rows=[], order="")
    assert '<td class="kern-table__cell" colspan="3">Noch keine.</td>' in html


def test_a_table_of_row_headers_only_has_no_header_row():
    html = render('{% kern_table caption="Zahlen" %}{% rows %}<tr><th scope="row">A</th></tr>{% endkern_table %}')
    assert "<thead>" not in html and '<th scope="row">A</th>' in html


def test_a_table_without_a_caption_is_refused():
    with pytest.raises(TemplateSyntaxError):
        render("{% kern_table small=True %}{% rows %}{% endkern_table %}")
    with pytest.raises(TemplateSyntaxError):
        render("{% kern_table caption=nothing %}{% rows %}{% endkern_table %}", nothing="")


def test_a_hidden_caption_is_for_screen_readers_only():
    html = render('{% kern_table caption="Ideen" caption_hidden=True %}{% rows %}{% endkern_table %}')
    assert '<caption class="visually-hidden">Ideen</caption>' in html


def test_a_sortable_column_links_to_its_order_keeping_the_filters_from_the_first_page():
    request = RequestFactory().get("/liste/", {"q": "Meier", "page": "3", "sort": "name"})
    html = render(TABLE, rows=["a"], order="name", request=request)
    assert 'aria-sort="ascending"' in html
    assert 'href="?q=Meier&amp;sort=-name"' in html

    request = RequestFactory().get("/liste/", {"sort": "-name"})
    html = render(TABLE, rows=["a"], order="-name", request=request)
    assert 'aria-sort="descending"' in html and 'href="?sort=name"' in html


def test_a_sortable_column_of_another_order_is_not_marked():
    html = render(TABLE, rows=["a"], order="received", request=RequestFactory().get("/"))
    assert "aria-sort" not in html and 'href="?sort=name"' in html


def test_a_column_outside_a_table_is_refused():
    with pytest.raises(TemplateSyntaxError):
        render('{% column "Art" %}')


def test_unknown_options_are_refused():
    with pytest.raises(TemplateSyntaxError):
        render('{% kern_table caption="A" colour="red" %}{% rows %}{% endkern_table %}')
    with pytest.raises(TemplateSyntaxError):
        render('{% kern_table caption="A" %}{% column "B" wide=True %}{% rows %}{% endkern_table %}')


def test_the_template_engine_context_is_unchanged_after_a_table():
    context = Context({"rows": ["a"], "order": ""})
    django_engine.engine.from_string("{% load kit %}" + TABLE).render(context)
    assert "_kern_table_columns" not in context and "columns" not in context
