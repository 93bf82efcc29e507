"""The HTML parse mode, checked against tdlib's parse_html behaviour and error texts."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.sandbox.html_entities import (
    EntityParseError,
    FormattedText,
    checked_link,
    normalize_text,
    parse_html,
    utf16_length,
)


def entities(html: str) -> list[dict[str, object]]:
    return parse_html(html).entities


def error(html: str) -> str:
    with pytest.raises(EntityParseError) as caught:
        parse_html(html)
    return caught.value.reason


def test_nested_tags_become_entities_with_utf16_offsets() -> None:
    parsed = parse_html('<b>bold <i>both</i></b> 😀<a href="https://e.com">link</a> <code>c</code>')
    assert parsed.text == "bold both 😀link c"
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 9},
        {"type": "italic", "offset": 5, "length": 4},
        {"type": "text_link", "offset": 12, "length": 4, "url": "https://e.com/"},
        {"type": "code", "offset": 17, "length": 1},
    ]


@pytest.mark.parametrize(
    ("tag", "kind"),
    [
        ("b", "bold"),
        ("strong", "bold"),
        ("i", "italic"),
        ("em", "italic"),
        ("u", "underline"),
        ("ins", "underline"),
        ("s", "strikethrough"),
        ("strike", "strikethrough"),
        ("del", "strikethrough"),
        ("tg-spoiler", "spoiler"),
        ("code", "code"),
        ("pre", "pre"),
        ("blockquote", "blockquote"),
    ],
)
def test_every_simple_tag(tag: str, kind: str) -> None:
    assert entities(f"x<{tag}>yz</{tag}>") == [{"type": kind, "offset": 1, "length": 2}]


def test_tag_names_are_case_insensitive_and_end_tags_may_be_empty() -> None:
    assert entities("<B>x</b>") == [{"type": "bold", "offset": 0, "length": 1}]
    assert entities("<i>x</>") == [{"type": "italic", "offset": 0, "length": 1}]


def test_special_tags() -> None:
    html = (
        '<pre><code class="language-python">x()</code></pre>'
        '<span class="tg-spoiler">s</span>'
        '<a href="tg://user?id=42">u</a>'
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
        "<blockquote expandable>q</blockquote>"
    )
    assert entities(html) == [
        {"type": "pre", "offset": 0, "length": 3, "language": "python"},
        {"type": "spoiler", "offset": 3, "length": 1},
        {"type": "text_mention", "offset": 4, "length": 1, "user": {"id": 42}},
        {
            "type": "custom_emoji",
            "offset": 5,
            "length": 2,
            "custom_emoji_id": "5368324170671202286",
        },
        {"type": "expandable_blockquote", "offset": 7, "length": 1},
    ]


def test_code_language_alone_is_dropped_and_pre_without_it_stays_pre() -> None:
    assert entities('<code class="language-x">a</code>') == [
        {"type": "code", "offset": 0, "length": 1}
    ]
    assert entities("<pre><code>a</code></pre>") == [
        {"type": "pre", "offset": 0, "length": 1},
        {"type": "code", "offset": 0, "length": 1},
    ]


def test_links() -> None:
    assert entities("<a>example.com</a>") == [
        {"type": "text_link", "offset": 0, "length": 11, "url": "http://example.com/"}
    ]
    assert entities('<a href="javascript:alert(1)">x</a>') == []
    assert entities("<a href='https://e.com/?a=1&amp;b=2'>x</a>")[0]["url"] == (
        "https://e.com/?a=1&b=2"
    )


def test_empty_tags_make_no_entity() -> None:
    assert parse_html("<b></b>x") == FormattedText("x", [])


def test_character_references() -> None:
    assert parse_html("&lt;&gt;&amp;&quot;").text == '<>&"'
    assert parse_html("&#65;&#x42;&#169;").text == "AB©"
    assert parse_html("&lt without semicolon").text == "< without semicolon"


def test_unknown_references_and_bare_ampersands_are_kept_literally() -> None:
    assert parse_html("a & b &nbsp; &apos; &#X43; &#1234567890;").text == (
        "a & b &nbsp; &apos; &#X43; &#1234567890;"
    )


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("héllo <br/>", 'Unsupported start tag "br/" at byte offset 7'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</i>", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<a href="x', "Unclosed start tag at byte offset 0"),
        ("<b x", 'Unclosed start tag "b" at byte offset 0'),
        ('<a ="x">y</a>', 'Empty attribute name in the tag "a" at byte offset 0'),
        ("<a href=a_b>x</a>", "Unexpected end of name token at byte offset 8"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<tg-emoji>x</tg-emoji>", "Invalid custom emoji identifier specified"),
        (
            "&#xD83D;",
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units",
        ),
    ],
)
def test_errors_use_tdlib_wording(html: str, reason: str) -> None:
    assert error(html) == reason


def test_checked_link() -> None:
    assert checked_link("https://e.com") == "https://e.com/"
    assert checked_link("e.com:8080/x") == "http://e.com:8080/x"
    assert checked_link("tg://resolve?domain=x") == "tg://resolve?domain=x"
    assert checked_link("mailto:a@b.c") == ""
    assert checked_link("http://a b") == ""


def test_normalize_trims_cleans_and_moves_entities() -> None:
    parsed = normalize_text(parse_html("\n  <b>hi</b> there  \n"))
    assert parsed == FormattedText("hi there", [{"type": "bold", "offset": 0, "length": 2}])
    assert normalize_text(FormattedText("\ta\r\nb\tc\t", [])).text == "a\nb c"
    cleaned = normalize_text(FormattedText("a\r<b>", [{"type": "bold", "offset": 2, "length": 3}]))
    assert cleaned == FormattedText("a<b>", [{"type": "bold", "offset": 1, "length": 3}])


def test_left_trim_stops_at_the_first_entity() -> None:
    text = FormattedText("  hi  ", [{"type": "bold", "offset": 0, "length": 6}])
    assert normalize_text(text) == FormattedText(
        "  hi", [{"type": "bold", "offset": 0, "length": 4}]
    )


def test_invisible_text_counts_as_empty() -> None:
    assert normalize_text(FormattedText(" \n\u200b\u00a0 ", [])).text == ""


@given(st.text(alphabet=st.characters(blacklist_characters="<&", blacklist_categories=["Cs"])))
def test_text_without_markup_passes_through(text: str) -> None:
    assert parse_html(text) == FormattedText(text, [])


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30))
def test_entities_always_lie_inside_the_text(text: str) -> None:
    html = f"<b>{text.replace('<', '&lt;')}</b><i>x</i>"
    parsed = parse_html(html)
    for entity in parsed.entities:
        assert entity["offset"] + entity["length"] <= utf16_length(parsed.text)
