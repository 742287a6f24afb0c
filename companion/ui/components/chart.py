"""A chart card's plot: a Plotly box as tall as the figure from the start, drawn only once it
scrolls onto the screen (assets/js/lazy-chart.jsx), or a chart drawn on the server as an image."""

from __future__ import annotations

import reflex as rx
from plotly.graph_objects import Figure  # type: ignore[import-untyped]

from companion import routes
from companion.charts import CONFIG
from companion.charts.svg import MOOD_IMAGE_WIDTHS
from companion.charts.theme import HEIGHT

LIBRARY = "$/public/js/lazy-chart.jsx"
# The smallest screen width (px) at which each drawing fits its card (a card is about 66 px
# narrower than the screen), narrowest first.
IMAGE_SCREENS = dict(zip(MOOD_IMAGE_WIDTHS, (0, 540, 740), strict=True))


def _media(width: int) -> str:
    """The screens that show the drawing `width` units wide: from its own screen width to the
    next drawing's."""
    low = IMAGE_SCREENS[width]
    wider = [screen for screen in IMAGE_SCREENS.values() if screen > low]
    parts = [f"(min-width: {low}px)"] if low else []
    parts += [f"(max-width: {wider[0] - 1}px)"] if wider else []
    return " and ".join(parts)


class LazyChart(rx.Component):
    """Mounts its children once its box is on the screen (an IntersectionObserver)."""

    library = LIBRARY
    tag = "LazyChart"


def lazy_plot(figure: rx.Var, summary_id: str) -> rx.Component:
    """The figure, drawn when scrolled to, in a box as tall as the figure's layout says (so the
    page does not move when it is drawn), named by the chart's one-sentence summary."""
    height = figure.to(dict)["layout"].to(dict)["height"].to(int)
    return LazyChart.create(
        rx.plotly.basic(
            # The figure's JSON (TrendsState keeps it so), read as the figure it is.
            data=figure.to(Figure),
            config=CONFIG,
            use_resize_handler=True,
            style={"width": "100%", "height": "100%"},
        ),
        class_name="chart",
        style={"height": rx.cond(height, height.to(str) + "px", f"{HEIGHT}px")},
        custom_attrs={"role": "img", "aria-labelledby": summary_id},
    )


class ChartPicture(rx.Component):
    """A <picture> of a server-drawn chart that never shows an older drawing of its address."""

    library = LIBRARY
    tag = "ChartPicture"
    sources: rx.Var[list[dict[str, str]]]
    src: rx.Var[str]
    width: rx.Var[str]
    height: rx.Var[str]
    alt: rx.Var[str]
    lazy: rx.Var[bool]


def chart_image(image: rx.Var, alt: rx.Var | str, *, lazy: bool = False) -> rx.Component:
    """An SVG chart drawn on the server: no script runs in it, so it needs no Plotly. `image`
    holds "src<width>" and "height<width>" for each of MOOD_IMAGE_WIDTHS; the screen picks the
    drawing whose text reads near 1:1, and width and height reserve its space before it comes.
    A `lazy` one (below the first screen) is fetched only as it nears the screen."""
    narrow, *wider = MOOD_IMAGE_WIDTHS
    # Widest first: the first source whose media matches wins.
    sources = [
        {
            "media": f"(min-width: {IMAGE_SCREENS[width]}px)",
            "src": image[f"src{width}"],
            "width": str(width),
            "height": image[f"height{width}"],
        }
        for width in reversed(wider)
    ]
    return ChartPicture.create(
        sources=sources,
        src=image[f"src{narrow}"],
        width=str(narrow),
        height=image[f"height{narrow}"],
        alt=alt,
        lazy=lazy,
        class_name="chart-image",
    )


def chart_image_preloads(range_key: str) -> rx.Component:
    """Asks for the drawing of `range_key` (the range a new visit shows) as the page's HTML
    arrives, while its scripts are still coming, instead of once its data have come."""
    return rx.fragment(
        *[
            rx.el.link(
                rel="preload",
                href=routes.trends_mood_svg(range_key, width),
                custom_attrs={"as": "image", "media": _media(width), "fetchPriority": "high"},
            )
            for width in MOOD_IMAGE_WIDTHS
        ]
    )
