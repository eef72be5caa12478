"""A small HTML tree from the standard library's parser, for tests that read a page as a
browser would: elements by tag and attribute, their text, and their `lang` as inherited."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    """One element: tag, attributes, children (elements and text), parent."""

    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    def iter(self):  # type: ignore[no-untyped-def]
        """This element and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        """Elements below (and including) this one with the tag and attribute values
        (class_ for class; a value of True matches any value)."""
        wanted = {name.rstrip("_"): value for name, value in attrs.items()}
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag)
            and all(
                name in e.attrs and (value is True or e.attrs[name] == value)
                for name, value in wanted.items()
            )
        ]

    def find(self, tag: str | None = None, **attrs: str) -> Element:
        """The first element that find_all would give; AssertionError when there is none."""
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag}> with {attrs}"
        return found[0]

    def text(self) -> str:
        """The element's text with runs of white space made one space."""
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join(" ".join(parts).split())

    def lang(self) -> str | None:
        """The language a screen reader reads this element in: its own lang or its nearest
        ancestor's."""
        node: Element | None = self
        while node is not None:
            if "lang" in node.attrs:
                return node.attrs["lang"]
            node = node.parent
        return None


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Element:
    """The document's tree."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root
