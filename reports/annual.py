"""The annual report of a region as a PDF (DESIGN §7, `/reports/annual.pdf`): the dashboard's figures for
the year as tables, the charts drawn as SVG pictures beside their numbers, dynamic management's five
groups, and the villages short of reserves.

Figures come from `reports.summary` through `reports.dashboard.dashboard_page`, so the PDF shows what the
dashboard shows, with the same labels and the same way of writing numbers. Charts are drawn by pygal with
the PDF's own font family (`config.pdf.FONT_FAMILY`), so their Chinese labels are set in the shipped font.
"""

import base64

import pygal
from django.utils import timezone
from django.utils.translation import gettext as _
from pygal.style import Style

from accounts.models import User
from config.pdf import FONT_FAMILY, render_pdf
from reports import dynamic
from reports.dashboard import dashboard_page
from villages.models import Region
from villages.selectors import reserve_shortfall
from villages.tables import ReserveShortfallTable

TEMPLATE = "reports/annual_pdf.html"
# Villages short of reserves listed by name; past it the report gives their number and points to the list.
SHORT_VILLAGES_LISTED = 300
# The portal's red first, then colours that stay apart in print.
CHART_STYLE = Style(
    font_family=FONT_FAMILY,
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#000",
    foreground_subtle="#bbb",
    guide_stroke_color="#e2e2e2",
    guide_stroke_dasharray="none",
    major_guide_stroke_color="#e2e2e2",
    major_guide_stroke_dasharray="none",
    opacity="1",
    opacity_hover="1",
    colors=("#b5121b", "#e39b3b", "#3b6ea5", "#5b9a68", "#7d5ba6", "#888888"),
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=12,
    legend_font_size=13,
    title_font_size=15,
)
CHART_WIDTH = 600


def _picture(chart) -> str:
    """The chart as a data URI of its SVG, for an <img> of the PDF (config.pdf fetches no other URL)."""
    return "data:image/svg+xml;base64," + base64.b64encode(chart.render()).decode("ascii")


def _options(rows: int) -> dict:
    return {
        "style": CHART_STYLE,
        "width": CHART_WIDTH,
        "height": max(160, 60 + 34 * rows),
        "explicit_size": True,
        "js": [],
        "print_values": True,
        "print_values_position": "top",
        "truncate_label": -1,
        "margin": 8,
    }


def _label_room(labels: list[str]) -> int:
    """The extra left margin Chinese labels need: pygal measures text as if every character were about
    0.6 em wide, and a Chinese character is 1 em."""
    widest = max((sum(1 for char in label if ord(char) > 0x2E7F) for label in labels), default=0)
    return int(widest * CHART_STYLE.label_font_size * 0.45)


def bar_chart(items: list[dict], series: str) -> str:
    """A horizontal bar per item ({"name", "value"}), the first at the top."""
    labels = [item["name"] for item in items]
    chart = pygal.HorizontalBar(
        **_options(len(items)), show_legend=False, margin_left=8 + _label_room(labels)
    )
    chart.x_labels = list(reversed(labels))
    chart.add(series, [item["value"] for item in reversed(items)])
    return _picture(chart)


def trend_chart(trend: dict) -> str:
    """Grouped bars per year: newly certified, promoted, eliminated."""
    chart = pygal.Bar(**(_options(8) | {"height": 300}), legend_at_bottom=True, legend_at_bottom_columns=3)
    chart.x_labels = trend["years"]
    for line in trend["series"]:
        chart.add(line["name"], line["values"])
    return _picture(chart)


def _charts(charts: dict) -> dict:
    """The pictures of the dashboard's charts, each to sit beside the table of its numbers."""
    people = _("Candidates")
    return {
        "funnel": bar_chart(charts["funnel"], people),
        "stages": bar_chart(charts["stages"], people),
        "children": bar_chart(charts["children"], people) if charts["children"] else "",
        "trend": trend_chart(charts["trend"]),
        "sources": bar_chart(charts["sources"], people),
    }


def annual_report(*, region: Region, year: int, user: User) -> dict:
    """The context of the report of `region` for `year` as `user` may see it (Region.DoesNotExist for a
    region outside their jurisdiction)."""
    region = Region.objects.visible_to(user).get(pk=region.pk)
    page = dashboard_page(user=user, region=region, year=year)
    groups = dynamic.dynamic_groups(user=user, region=region, year=year)
    shortfall = reserve_shortfall(user=user, region=region)
    short_villages = list(shortfall.villages_short[:SHORT_VILLAGES_LISTED])
    # The list page's words for what a village lacks ("1 secretary reserve and 2 committee reserves").
    missing = ReserveShortfallTable(short_villages).rows
    return {
        **page,
        "pictures": _charts(page["charts"]),
        "dynamic": {
            "labels": [dynamic.GROUP_LABELS[group] for group in dynamic.GROUPS],
            "rows": [
                {
                    "label": dynamic.GROUP_LABELS[group],
                    "count": count,
                    "definition": dynamic.GROUP_DEFINITIONS[group],
                }
                for group, count in groups.total.cells
            ],
            "total": groups.total,
            "children": groups.children,
        },
        "shortfall": shortfall,
        "short_villages": [{"village": row.record, "missing": row.get_cell("missing")} for row in missing],
        "short_villages_unlisted": max(shortfall.total.villages_short - len(short_villages), 0),
        "printed_on": timezone.localdate(),
        "printed_by": user,
    }


def annual_report_pdf(*, region: Region, year: int, user: User) -> bytes:
    """The annual report of `region` for `year` as `user` may see it, as PDF bytes."""
    return render_pdf(TEMPLATE, annual_report(region=region, year=year, user=user))
