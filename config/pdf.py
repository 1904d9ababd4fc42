"""PDFs drawn from templates with WeasyPrint: A4, the portal's own CJK font embedded.

The font is a subset of Noto Sans CJK SC shipped under `static/fonts/` (README, "PDFs and fonts") and
declared with @font-face in `static/css/print.css`, which every PDF gets: a machine needs no CJK font of
its own, and the glyphs a document uses are embedded in it. Charts drawn as SVG name the same family
(`FONT_FAMILY`), and WeasyPrint draws their text with it.

A document may load files from the static directory and `data:` URIs only: user text is escaped by the
templates, and nothing in a PDF can make the server read another file or fetch a URL.

WeasyPrint is imported on first use: loading it (Pango, HarfBuzz) takes seconds that no other page
and no management command should pay.
"""

import functools
import ssl
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

PRINT_CSS = "css/print.css"
# The family static/css/print.css declares for the shipped font; SVG charts name it too.
FONT_FAMILY = "Sanxiang Sans SC"


def static_dir() -> Path:
    """The source folder of the static files, which holds print.css and the fonts."""
    found = finders.find(PRINT_CSS)
    if found is None:
        raise FileNotFoundError(f"static file {PRINT_CSS} not found")
    return Path(found).resolve().parent.parent


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class StaticFetcher(URLFetcher):
        """Fetches `data:` URIs and files under `root`; refuses everything else."""

        def __init__(self, root: Path):
            # HTTPS is never allowed: a bare context spares loading the system's certificates each time.
            super().__init__(
                allowed_protocols={"file", "data"}, ssl_context=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            )
            self.root = root

        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if not path.is_relative_to(self.root):
                    raise ValueError(f"only static files go into a PDF, not {url}")
            return super().fetch(url, headers)

    return StaticFetcher


def static_fetcher(root: Path | None = None):
    """A WeasyPrint URL fetcher that reads `data:` URIs and the files under `root` (the static folder)
    only: anything else is refused, and the document goes without it."""
    return _fetcher_class()(root or static_dir())


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """The PDF of `template_name` rendered with `context`: relative URLs in the template (images,
    stylesheets) are files of the static directory, and static/css/print.css applies first."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    root = static_dir()
    html = render_to_string(template_name, context, request=request)
    fetcher = static_fetcher(root)
    fonts = FontConfiguration()
    print_css = CSS(filename=str(root / PRINT_CSS), url_fetcher=fetcher, font_config=fonts)
    document = HTML(string=html, base_url=f"{root.as_uri()}/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[print_css], font_config=fonts)


def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """`data` as a PDF named `filename` (any script), shown in the browser when `inline`, else
    downloaded. Never cached: the documents hold personal data."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Cache-Control"] = "private, no-store"
    return response
