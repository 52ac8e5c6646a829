"""HTML as a browser shows it, and a little more: what a recipient could see or uncover.

The markup is parsed by Lexbor (through selectolax), an HTML5 parser that builds the tree
a browser builds: an unclosed ``<head>``, missing ``<body>`` or stray end tags do not hide
the text after them, as they did with a hand-written tag filter. From the tree we keep:

- every text node (``<title>``, ``<noscript>``, ``<textarea>`` and ``<template>`` included;
  hidden elements too, since CSS can be switched off and the source can be read);
- comments and the text of ``<script>``, which a client does not show but the recipient
  who opens the source does;
- attribute text that clients show (``alt``, ``title``, ``placeholder``, ``value``,
  ``aria-label``, ``data-*``…) and URLs, percent-decoded (a ``mailto:`` or a query string
  can carry a name);
- CSS generated content: string values of ``content:`` in ``<style>`` and ``style=``,
  placed before or after the elements their selectors match (``p.x::before``), with
  ``attr(…)`` resolved; every other CSS string is kept at the end.

``data:`` URIs are not text: ``embedded`` decodes them as files. Table rows are lines and
each cell begins with a tab, so a roster in an HTML mail is read as a table
(``extract.structured``), row by row.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field

import tinycss2
from selectolax.lexbor import LexborHTMLParser, LexborNode

_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
        "summary", "table", "tbody", "thead", "tfoot", "tr", "ul", "title", "option",
        "caption", "textarea", "select", "noscript", "template", "script", "style",
    }
)  # fmt: skip
_CELLS = frozenset({"td", "th"})
_SHOWN_ATTRIBUTES = frozenset(
    {"alt", "title", "placeholder", "value", "label", "summary", "abbr", "content", "download",
     "aria-label", "aria-description", "aria-placeholder", "aria-roledescription"}
)  # fmt: skip
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "cite", "poster", "background", "srcset"})
_PSEUDO = re.compile(r"::?(before|after)\s*$", re.IGNORECASE)
_ATTR_FUNCTION = re.compile(r"attr\(\s*([\w:-]+)")


@dataclass(slots=True)
class _Generated:
    """CSS generated content by element (``mem_id``), and the strings not placed."""

    before: dict[int, list[str]] = field(default_factory=dict)
    after: dict[int, list[str]] = field(default_factory=dict)
    loose: list[str] = field(default_factory=list)


def html_to_text(markup: str) -> str:
    """The text of an HTML document; see the module docstring."""
    tree = LexborHTMLParser(markup)
    root = tree.root
    if root is None:
        return ""
    generated = _Generated()
    for node in tree.css("style"):
        _collect_css(tree, node.text(deep=True) or "", generated)
    out: list[str] = []
    _walk(root, out, generated)
    if generated.loose:
        out.append("\n")
        out.append("\n".join(generated.loose))
    text = "".join(out)
    text = re.sub(r"[ \t]*\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text)
    # A table row is one line, the next row the next line (no blank line between): the
    # rows stay a run of tab-separated lines, which ``structured`` reads as a table.
    return re.sub(r"\n(?:[ \t]*\n)+(?=\t)", "\n", text)


def _walk(root: LexborNode, out: list[str], generated: _Generated) -> None:
    """Depth first without recursion: a mail of 10,000 nested ``<div>`` must not reach
    Python's recursion limit."""
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag or ""
        if leaving:
            out.extend(generated.after.get(node.mem_id, ()))
            if tag in _BLOCKS:
                out.append("\n")
            continue
        if tag == "-text":
            parent = node.parent
            if parent is None or parent.tag != "style":  # CSS strings are read apart
                out.append(node.text_content or "")
            continue
        if tag == "-comment":
            comment = node.comment_content or ""
            if comment.strip():
                out.append(f"\n{comment}\n")
            continue
        if tag in _BLOCKS:
            out.append("\n")
        elif tag in _CELLS:
            out.append("\t")
        out.extend(generated.before.get(node.mem_id, ()))
        _attributes(node, out, generated)
        if tag == "template":
            out.append(html_to_text(node.inner_html or ""))
        stack.append((node, True))
        children = list(node.iter(include_text=True))
        stack.extend((child, False) for child in reversed(children))


def _attributes(node: LexborNode, out: list[str], generated: _Generated) -> None:
    attributes = node.attributes
    if not attributes:
        return
    shown: list[str] = []
    for key, value in attributes.items():
        if not value:
            continue
        name = key.lower()
        if name == "style":
            _collect_declarations(value, generated.loose, None)
        elif name in _URL_ATTRIBUTES or name.startswith("on"):
            if not value.lstrip().lower().startswith("data:"):
                shown.append(urllib.parse.unquote(value))
        elif name in _SHOWN_ATTRIBUTES or name.startswith("data-"):
            shown.append(value)
    if shown:
        out.append(" " + " ".join(shown) + " ")


def _collect_css(tree: LexborHTMLParser, css: str, generated: _Generated) -> None:
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    for rule in rules:
        if rule.type == "at-rule" and rule.content is not None:
            _collect_css(tree, tinycss2.serialize(rule.content), generated)
            continue
        if rule.type != "qualified-rule":
            continue
        strings: list[str] = []
        attributes: list[str] = []
        _collect_declarations(rule.content, strings, attributes)
        if not strings and not attributes:
            continue
        placed = False
        for selector in tinycss2.serialize(rule.prelude).split(","):
            pseudo = _PSEUDO.search(selector)
            if pseudo is None:
                continue
            base = selector[: pseudo.start()].strip() or "*"
            try:
                nodes = tree.css(base)
            except Exception:  # a selector Lexbor does not know: keep the strings loose
                continue
            where = generated.before if pseudo.group(1).lower() == "before" else generated.after
            for node in nodes:
                values = strings + [node.attributes.get(a) or "" for a in attributes]
                where.setdefault(node.mem_id, []).extend(values)
                placed = True
        if not placed:
            generated.loose.extend(strings)


def _collect_declarations(
    content: object, strings: list[str], attributes: list[str] | None
) -> None:
    """Every string token of a declaration list, and the attribute names of ``attr()``."""
    if isinstance(content, str):
        content = tinycss2.parse_blocks_contents(content)
    declarations = tinycss2.parse_blocks_contents(content) if content is not None else []
    for declaration in declarations:
        if declaration.type != "declaration":
            continue
        for token in _tokens(declaration.value):
            if token.type == "string" and token.value.strip():
                strings.append(token.value)
            elif (
                attributes is not None
                and token.type == "function"
                and token.lower_name == "attr"
                and (match := _ATTR_FUNCTION.search(tinycss2.serialize([token])))
            ):
                attributes.append(match.group(1))


def _tokens(tokens: list) -> list:  # type: ignore[type-arg]
    found = []
    pending = list(tokens)
    while pending:
        token = pending.pop(0)
        found.append(token)
        if token.type in ("function", "() block", "[] block", "{} block"):
            pending[:0] = list(getattr(token, "arguments", None) or token.content or [])
    return found
