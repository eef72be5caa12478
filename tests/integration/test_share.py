"""Sharing an incident: its PNG route (both backends), and the link-preview tags."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from io import BytesIO

from flask import render_template_string
from PIL import Image
from shapely.geometry import box
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.db import get_db
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from tests.conftest import rolled_back_app
from tests.factories import make_incident
from tests.factories import make_municipality


@contextmanager
def _writing(app) -> Iterator[Session]:
    """A session for setting up, closed before the test client runs (each request its own g)."""
    with app.app_context():
        session = get_db(app).session()
        yield session
        session.commit()


def _demo(session) -> Municipality:
    return session.scalar(select(Municipality).where(Municipality.slug == "demo"))


def _demo_incident(app, status: IncidentStatus = IncidentStatus.ACTIVE) -> int:
    with _writing(app) as session:
        demo = _demo(session)
        return session.scalars(
            select(Incident.id).where(
                Incident.municipality_id == demo.id, Incident.status == status
            )
        ).first()


def _inside_demo(app, title: str, status: IncidentStatus) -> int:
    with _writing(app) as session:
        demo = _demo(session)
        centre = demo.boundary.centroid
        area = box(centre.x, centre.y, centre.x + 0.003, centre.y + 0.002)
        return make_incident(session, demo, area, status=status, title=title).id


def test_the_picture_is_a_1200_by_630_png_for_link_previews(app, client) -> None:
    response = client.get(f"/demo/hendelse/{_demo_incident(app)}.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    image = Image.open(BytesIO(response.data))
    image.load()
    assert image.format == "PNG" and image.size == (1200, 630)
    cache = response.headers["Cache-Control"]
    directives = dict(part.strip().partition("=")[::2] for part in cache.split(","))
    assert "public" in directives and 0 < int(directives["max-age"]) <= 300
    assert "Set-Cookie" not in response.headers and "Content-Encoding" not in response.headers


def test_a_revalidation_with_the_current_etag_is_304(app, client) -> None:
    url = f"/demo/hendelse/{_demo_incident(app)}.png"
    etag = client.get(url).headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get(url, headers={"If-None-Match": '"old"'}).status_code == 200


def test_the_picture_speaks_the_language_asked_for(app, client) -> None:
    url = f"/demo/hendelse/{_demo_incident(app)}.png"
    bokmal, english = client.get(url + "?lang=nb"), client.get(url + "?lang=en")
    assert bokmal.status_code == english.status_code == 200
    assert bokmal.data != english.data  # kind, status and title are drawn in words
    assert bokmal.headers["ETag"] != english.headers["ETag"]
    for answer in (bokmal, english):  # a link preview's fetch: shared caches may keep it
        assert "Set-Cookie" not in answer.headers
        assert answer.headers["Cache-Control"].startswith("public")


def test_scheduled_and_resolved_incidents_have_pictures(app, client) -> None:
    for status in (IncidentStatus.SCHEDULED, IncidentStatus.RESOLVED):
        incident_id = _demo_incident(app, status)
        assert client.get(f"/demo/hendelse/{incident_id}.png").status_code == 200, status


def test_drafts_and_other_municipalities_incidents_are_404(app, client) -> None:
    draft = _inside_demo(app, "Utkast", IncidentStatus.DRAFT)
    assert client.get(f"/demo/hendelse/{draft}.png").status_code == 404
    with _writing(app) as session:
        other = make_municipality(session)
        theirs = make_incident(session, other, other.boundary.buffer(-0.01)).id
    assert client.get(f"/demo/hendelse/{theirs}.png").status_code == 404
    assert client.get(f"/kristiansand/hendelse/{theirs}.png").status_code == 200
    assert client.get("/atlantis/hendelse/1.png").status_code == 404
    assert client.get("/demo/hendelse/999999.png").status_code == 404


class _Meta(HTMLParser):
    """Every <meta> tag's property (or name) and content, as a client reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        assert tag == "meta", f"only <meta> tags, got <{tag}>"
        self.tags.append((values.get("property") or values.get("name") or "", values["content"]))


_MACRO = (
    '{% from "public/_share_meta.html" import share_meta %}'
    "{{ share_meta(incident, municipality, lang, page_url, share_image_url(incident)) }}"
)


def _meta(app, incident_id: int, lang: str) -> dict[str, list[str]]:
    # A fresh app context: Flask-Babel keeps the request's language in g.
    with app.app_context(), app.test_request_context(f"/demo/hendelse/{incident_id}?lang={lang}"):
        incident = get_db(app).session().get(Incident, incident_id)
        html = render_template_string(
            _MACRO,
            incident=incident,
            municipality=incident.municipality,
            lang=lang,
            page_url=f"http://localhost/demo/hendelse/{incident_id}",
        )
    parser = _Meta()
    parser.feed(html)
    found: dict[str, list[str]] = {}
    for key, value in parser.tags:
        found.setdefault(key, []).append(value)
    return found


def _title(app, incident_id: int, lang: str) -> str:
    with _writing(app) as session:
        return session.get(Incident, incident_id).text("title", lang)


def test_the_tags_of_a_link_preview(app) -> None:
    incident_id = _demo_incident(app)
    tags = _meta(app, incident_id, "nb")
    title = _title(app, incident_id, "nb")
    assert tags["og:type"] == ["article"]
    assert tags["og:title"] == [f"Kokepålegg: {title}"] == tags["twitter:title"]
    assert tags["og:description"][0].startswith("Pågår · Demo kommune. ")
    assert tags["og:url"] == [f"http://localhost/demo/hendelse/{incident_id}"]
    image = f"http://localhost/demo/hendelse/{incident_id}.png?lang=nb"
    assert tags["og:image"] == [image] == tags["twitter:image"]
    assert tags["og:image:width"] == ["1200"] and tags["og:image:height"] == ["630"]
    assert title in tags["og:image:alt"][0] and tags["og:image:alt"] == tags["twitter:image:alt"]
    assert tags["og:locale"] == ["nb_NO"]
    assert sorted(tags["og:locale:alternate"]) == ["en_GB", "nn_NO"]
    assert "Demo kommune" in tags["og:site_name"][0]
    assert tags["twitter:card"] == ["summary_large_image"]


def test_the_locale_follows_the_language(app) -> None:
    incident_id = _demo_incident(app)
    assert _meta(app, incident_id, "nn")["og:locale"] == ["nn_NO"]
    english = _meta(app, incident_id, "en")
    assert english["og:locale"] == ["en_GB"]
    assert english["og:image"][0].endswith(".png?lang=en")
    assert _title(app, incident_id, "en") in english["og:title"][0]


def test_the_image_url_is_absolute_on_the_public_base_url(database_url) -> None:
    with rolled_back_app(database_url, PUBLIC_BASE_URL="https://status.example.no") as app:
        incident_id = _demo_incident(app)
        tags = _meta(app, incident_id, "nb")
    assert tags["og:image"] == [
        f"https://status.example.no/demo/hendelse/{incident_id}.png?lang=nb"
    ]


def test_a_title_with_quotes_and_brackets_stays_inside_its_attributes(app) -> None:
    title = "Vann \"stengt\" <b>&</b> 'her'"
    tags = _meta(
        app, _inside_demo(app, title, IncidentStatus.ACTIVE), "nb"
    )  # the parser fails on anything but <meta> tags
    assert tags["og:title"] == [f"Vannavstenging: {title}"]
    assert title in tags["og:image:alt"][0] and title in tags["twitter:image:alt"][0]
    assert len(tags) == 17, sorted(tags)
    assert all(len(values) == 1 for key, values in tags.items() if key != "og:locale:alternate")


class _Box(HTMLParser):
    """The share box's form controls, as a browser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, dict[str, str | None]] = {}
        self.text: dict[str, str] = {}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = dict(attrs)
        self._open = tag

    def handle_data(self, data: str) -> None:
        if self._open:
            self.text[self._open] = self.text.get(self._open, "") + data

    def handle_endtag(self, tag: str) -> None:
        self._open = None


_BOX = (
    '{% from "public/_share_box.html" import share_box %}'
    "{{ share_box(share_post_text(incident, page_url), incident.id) }}"
)


def _share_box(app, incident_id: int, lang: str) -> _Box:
    with app.app_context(), app.test_request_context(f"/demo/hendelse/{incident_id}?lang={lang}"):
        incident = get_db(app).session().get(Incident, incident_id)
        html = render_template_string(
            _BOX, incident=incident, page_url=f"https://x.example/demo/hendelse/{incident_id}"
        )
    parser = _Box()
    parser.feed(html)
    return parser


def test_the_share_box_offers_the_post_as_selectable_text(app) -> None:
    incident_id = _demo_incident(app)
    box = _share_box(app, incident_id, "nb")
    area = box.tags["textarea"]
    assert "readonly" in area and box.tags["label"]["for"] == area["id"]
    post = box.text["textarea"]
    assert len(post) <= 280 and post.endswith(f"https://x.example/demo/hendelse/{incident_id}")
    assert "Gjelder " in post, "the streets of the addresses in the area"
    assert "Forventet ferdig " in post and post.split("Forventet ferdig ")[1][:30].count("CE")
    button = box.tags["button"]
    assert "hidden" in button, "shown by the script only where it can copy"
    assert button["data-share-copy"] == area["id"] and button["data-copied"] == "Kopiert"
    assert box.tags["span"]["aria-live"] == "polite"
    assert box.tags["script"]["src"] == "/static/js/share.js"


def test_the_post_escapes_a_title_and_follows_the_language(app) -> None:
    incident_id = _inside_demo(app, "Stengt </textarea><script>x</script>", IncidentStatus.ACTIVE)
    box = _share_box(app, incident_id, "nb")
    assert box.text["textarea"].startswith("Vannavstenging: Stengt </textarea><script>x</script>")
    assert box.tags["script"]["src"] == "/static/js/share.js", "no script from the title"
    english = _share_box(app, _demo_incident(app), "en")
    assert english.text["textarea"].startswith("Boil")


def test_the_picture_draws_the_streets_within_its_frame_only(app, client) -> None:
    from statusmap.gis.queries.streets import streets_meeting_bbox
    from statusmap.maps.share_image import STREET_CASING
    from statusmap.streets.queries import streets_of

    with _writing(app) as session:
        demo = _demo(session)
        everything = {street.name for street in streets_of(session, demo.id)}
        lon, lat = demo.boundary.centroid.x, demo.boundary.centroid.y
        near = streets_meeting_bbox(session, demo.id, (lon - 0.002, lat - 0.001, lon, lat))
        assert 0 < len(near) < len(everything)
        assert {street.name for street in near} <= everything
        assert streets_meeting_bbox(session, demo.id, (5.0, 60.0, 5.01, 60.01)) == []
    png = Image.open(BytesIO(client.get(f"/demo/hendelse/{_demo_incident(app)}.png").data))
    colours = {colour for _, colour in png.convert("RGB").getcolors(1200 * 630) or []}
    assert tuple(int(STREET_CASING[i : i + 2], 16) for i in (1, 3, 5)) in colours
