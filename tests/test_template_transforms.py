"""DBpedia's template transforms: the table equals templatetransform.json, and each transformer
rewrites the tree as the framework's parser does (cases marked "framework" are the assertions of
its ``TemplateTransformParserTest``, with links written as they were in the input)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import mwparserfromhell
import pytest
from conftest import PROJECT_ROOT, _testbed_module
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import template_transforms
from extractors.template_transforms import (
    TRANSFORMS,
    Transform,
    apply_template_transforms,
    find_transform,
)
from extractors.wikitext import normalize_template_name, parse, template_name


def transformed(
    text: str, lang: str = "en", resolve: Callable[[str], str] = lambda name: name
) -> str:
    code = parse(text)
    apply_template_transforms(code, lang, resolve)
    return str(code)


@pytest.fixture(scope="module")
def config(shared_data: Path) -> dict:
    path = shared_data / "dbpedia" / "templatetransform.json"
    return json.loads(path.read_text(encoding="utf-8"))


# --- the table ---


def test_table_equals_the_json(config: dict) -> None:
    expected: dict[str, dict[str, Transform]] = {}
    for lang, entries in config.items():
        for key, spec in entries.items():
            transform = Transform(
                spec["transformer"],
                tuple(spec.get("keys", ())),
                spec.get("whileList", False),
                spec.get("replace"),
                spec.get("additionalSplitString"),
            )
            for alternative in key.split("|"):
                expected.setdefault(lang, {})[normalize_template_name(alternative)] = transform
    assert expected == TRANSFORMS
    assert len(TRANSFORMS["en"]) == 74
    assert len(TRANSFORMS["commons"]) == 8


def test_generated_block_is_current(config: dict) -> None:
    generator = _testbed_module("generate_template_transforms")
    module = (PROJECT_ROOT / "extractors" / "template_transforms.py").read_text(encoding="utf-8")
    assert generator.render(config) in module
    assert set(template_transforms._TRANSFORMERS) == generator.KINDS


def test_find_transform() -> None:
    assert find_transform("Nowrap", "de") == TRANSFORMS["en"]["Nowrap"]
    assert find_transform("Lang-zh-min-nan") == TRANSFORMS["en"]["Lang-$(lang)"]
    assert find_transform("Lang-DE") is None
    assert find_transform("Nowrap", "commons") is None
    assert find_transform("Self", "commons") is not None


# --- one test per transformer kind ---

TEXT_NODE = {
    "{{ndash}}": "-",
    "{{mdash}}": " - ",
    "{{-}}": " - ",
    "{{US$|5}}": "<br /> USD 5<br />",
    "{{Currency|5|USD}}": "<br /> USD 5<br />",
    "{{lang|de|Berlin}}": "Berlin",
    "{{lang|de|  Berlin  }}": "Berlin",
    "{{lang|nap|Abbrùzzu}}": "Abbrùzzu",  # framework
    "{{native name|nap|Abbrùzze}}": "Abbrùzze",  # framework
    "{{native_name|nap|Abbrùzze}}": "Abbrùzze",
    "{{Nihongo2|東京都}}": "東京都",  # framework
    "{{Nihongo|Tokyo|東京|Tōkyō}}": "東京",  # framework
    "{{lang|de}}": "",
    # link targets, not labels; tags stay text; refs, comments and templates go
    "{{lang|de|[[berlin|Stadt]] (city)}}": "Berlin (city)",
    "{{lang|de|<small>[[a]]</small><ref>r</ref><!-- c --> {{x}} http://x.org}}": (
        "<small>A</small>  http://x.org"
    ),
    "{{nyse|ABC}}": "NYSE:ABC",
    "{{Hkse|0005}}": "SEHK:0005",
}

EXTRACT_CHILDREN = {
    "{{nowrap|x}}": "<br />x<br />",
    "{{nowrap}}": "",
    "{{nowrap|a<!-- c -->b}}": "<br />ab<br />",
    "{{nowrap|<!-- c -->  x}}": "<br />x<br />",
    # the parser inserts the output reversed, so the parameters come last first
    "{{hlist|a|b}}": "<br />b<br />a<br />",
    "{{hlist| a | b |class=x}}": "<br />b <br />a <br />",
    "{{hlist|a||b}}": "<br />b<br /><br />a<br />",
    "{{Marriage|[[Jane Doe]]|1990|2000|end=div}}": "<br />2000<br />1990<br />[[Jane Doe]]<br />",
    "{{Unbulleted list | [[Arthur D. Levinson]] ([[Chairman]])}}": (  # framework
        "<br />[[Arthur D. Levinson]] ([[Chairman]])<br />"
    ),
    "{{Plainlist|\n*[[item1]]\n**[[Item 11]]\n*Item 1 string\n*[[item1]]\n*Item 3 string\n}}": (
        "<br /><br />[[item1]]\n<br /><br />[[Item 11]]\n<br />Item 1 string\n"
        "<br />[[item1]]\n<br />Item 3 string\n<br />"  # framework
    ),
    "{{flatlist|\n* [[A]] * B\n}}": "<br /><br /> [[A]] <br /> B\n<br />",
    "{{Unbulleted list|a * b}}": "<br />a * b<br />",  # no additionalSplitString
    # with "replace": $(n|prefix|suffix) over the kept parameters
    "{{ICD10|A|01|2}}": "<br />A01.2<br />",
    "{{ICD10|C|50}}": "<br />C50<br />",
    "{{ICD9|250.0|x}}": "<br />250.0<br />",
}

GET_LANG_TEXT = {
    "{{lang-de|Berlin}}": "<br />Berlin<br />",
    "{{lang-zh-min-nan|Tâi-oân}}": "<br />Tâi-oân<br />",
    "{{lang-de|[[Berlin]]}}": "<br />Berlin<br />",
    "{{lang-de|[[Berlin]] city}}": "<br /> city<br />",  # the *last* node of the value
    "{{lang-de}}": "<br /><br />",
    "{{lang-DE|x}}": "{{lang-DE|x}}",
}

EXTERNAL_LINK_NODE = {
    "{{url|https://www.dji.com DJI.com}}": "[https://www.dji.com]",  # framework
    "{{URL|http://example.org|Example}}": "[http://example.org Example]",
    "{{Official website|https://example.org/}}": "[https://example.org/]",
    "{{URL|[//example.org]}}": "[http://example.org]",
    "{{URL|[ftp://example.org]}}": "[ftp://example.org]",
    # no link in parameter 1 for DBpedia's parser: the template stays
    "{{URL|example.org}}": "{{URL|example.org}}",
    "{{URL|ftp://example.org}}": "{{URL|ftp://example.org}}",
    "{{URL}}": "{{URL}}",
}

UNWRAP_TEMPLATES = {
    "{{Self|cc-by-sa-3.0|GFDL|author=Me}}": (
        "{{<br />}}{{GFDL}}{{<br />}}{{Cc-by-sa-3.0}}{{<br />}}{{Self|cc-by-sa-3.0|GFDL|author=Me}}"
    ),
    "{{PD-Art|PD-old-100}}": "{{<br />}}{{PD-old-100}}{{<br />}}{{PD-Art|PD-old-100}}",
    "{{PD-Art}}": "{{PD-Art}}",
}


@pytest.mark.parametrize(("text", "expected"), TEXT_NODE.items())
def test_text_node(text: str, expected: str) -> None:
    assert transformed(text) == expected


@pytest.mark.parametrize(("text", "expected"), EXTRACT_CHILDREN.items())
def test_extract_children(text: str, expected: str) -> None:
    assert transformed(text) == expected


@pytest.mark.parametrize(("text", "expected"), GET_LANG_TEXT.items())
def test_get_lang_text(text: str, expected: str) -> None:
    assert transformed(text) == expected


@pytest.mark.parametrize(("text", "expected"), EXTERNAL_LINK_NODE.items())
def test_external_link_node(text: str, expected: str) -> None:
    assert transformed(text) == expected


def test_external_link_node_gives_a_link_node() -> None:
    code = parse("{{URL|http://example.org|Example}}")
    apply_template_transforms(code, "en")
    [link] = code.filter_external_links()
    assert str(link.url) == "http://example.org"
    assert str(link.title) == "Example"
    assert link.brackets


@pytest.mark.parametrize(("text", "expected"), UNWRAP_TEMPLATES.items())
def test_unwrap_templates(text: str, expected: str) -> None:
    assert transformed(text, "commons") == expected


# --- where templates are found, and how they are named ---

NESTED = {
    "{{nowrap|{{ndash}}}}": "<br />-<br />",
    "{{lang|de|{{nowrap|Berlin}}}}": "<br />Berlin<br />",
    "{{hlist|{{lang|fr|Paris}}|{{URL|http://a.org}}}}": "<br />[http://a.org]<br />Paris<br />",
    "{{Infobox country\n| capital = {{nowrap|[[London]]}}\n| currency = {{US$|5}}\n}}": (
        "{{Infobox country\n| capital = <br />[[London]]<br />\n| currency = <br /> USD 5<br />\n}}"
    ),
    "{{Infobox person|spouse={{Marriage|[[A]]|{{nowrap|1990}}}}}}": (
        "{{Infobox person|spouse=<br /><br />1990<br /><br />[[A]]<br />}}"
    ),
    "[[X|{{nowrap|y}}]]": "[[X|<br />y<br />]]",
    "[http://a.org {{lang|de|Berlin}}]": "[http://a.org Berlin]",
    "<small>{{ndash}}</small>": "<small>-</small>",
    '<span title="{{ndash}}">x</span>': '<span title="-">x</span>',
    "<ref>{{URL|http://a.org}}</ref>": "<ref>[http://a.org]</ref>",
    "== A {{ndash}} B ==": "== A - B ==",
    "{|\n| {{ndash}}\n|}": "{|\n| -\n|}",
}

NAMES = {
    "{{ Nowrap |x}}": "<br />x<br />",
    "{{Nowrap<!-- c -->|x}}": "<br />x<br />",
    "{{NoWrap|x}}": "{{NoWrap|x}}",  # case-sensitive after the first letter
    "{{Template:Nowrap|x}}": "{{Template:Nowrap|x}}",  # a parser function to DBpedia
    "{{paced ndash}}": "\u00a0- ",  # the table's own spelling and no-break space
    "{{spaced ndash}}": "{{spaced ndash}}",
    "{{Plain list|a}}": "<br />a<br />",
}


@pytest.mark.parametrize(("text", "expected"), NESTED.items())
def test_nested_templates_inner_first(text: str, expected: str) -> None:
    assert transformed(text) == expected


@pytest.mark.parametrize(("text", "expected"), NAMES.items())
def test_template_names(text: str, expected: str) -> None:
    assert transformed(text) == expected


def test_other_languages_use_the_english_table() -> None:
    assert transformed("{{nowrap|x}}", "de") == "<br />x<br />"
    assert transformed("{{nowrap|x}}", "commons") == "{{nowrap|x}}"


def test_redirects_are_resolved_once_per_name() -> None:
    asked: list[str] = []

    def resolve(name: str) -> str:
        asked.append(name)
        return {"Nobreak": "Nowrap"}.get(name, name)

    text = "{{nobreak|a}} {{Nobreak|b}} {{Infobox|x={{nowrap|c}}}} {{Infobox}}"
    expected = "<br />a<br /> <br />b<br /> {{Infobox|x=<br />c<br />}} {{Infobox}}"
    assert transformed(text, resolve=resolve) == expected
    assert asked == ["Nobreak", "Infobox"]  # table names need no resolving


# --- robustness and real pages ---

FRAGMENTS = [
    "{{", "}}", "{{{", "}}}", "|", "=", "[[", "]]", "[", "]", "<br />", "<ref>", "</ref>",
    "<small>", "</small>", "<!--", "-->", "*", "#", "\n", " ", "http://x.org", "//y.org", ":",
    "Template:", "&amp;", "''", "==", "{|", "|}", "$(1||)", "$(2|.|)", "a", "1", "2", "class",
    "nowrap", "hlist", "Plainlist", "URL", "lang", "lang-de", "ndash", "US$", "ICD10", "Self",
    "Marriage", "Official website",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=4), max_size=40),
    lang=st.sampled_from(["en", "commons", "de"]),
)
def test_arbitrary_wikitext_never_raises(pieces: list[str], lang: str) -> None:
    code = mwparserfromhell.parse("".join(pieces), skip_style_tags=True)
    apply_template_transforms(code, lang)
    apply_template_transforms(code, lang)
    assert isinstance(str(code), str)


def test_real_pages_keep_only_link_less_url_templates(shared_data: Path) -> None:
    pages = sorted((shared_data / "wikipedia" / "wtf_wikipedia").glob("*.txt"))
    assert pages
    for page in pages:
        code = parse(page.read_text(encoding="utf-8"))
        apply_template_transforms(code, "en")
        for template in code.filter_templates(recursive=True):
            transform = find_transform(template_name(template))
            if transform and ":" not in str(template.name):
                assert transform.kind == "externalLinkNode", (page.name, str(template))
