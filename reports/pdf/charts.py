"""The charts of the PDF reports, drawn as vector graphics with reportlab.graphics: the RAG
trend, budget against actual and forecast, the risk heat map, utilisation by role, a
project's S-curve and the risk exposure over time."""

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.graphics.widgets.markers import makeMarker

from . import formatting
from .styles import (
    BRAND,
    INK,
    LEVEL_COLOURS,
    LEVEL_TEXT,
    MUTED,
    RAG_COLOURS,
    RULE,
    SERIES,
    Theme,
)

AXIS_SIZE = 7
LEGEND_SIZE = 7.5


def _axis_style(chart, theme: Theme) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = theme.font
        axis.labels.fontSize = AXIS_SIZE
        axis.labels.fillColor = MUTED
        axis.strokeColor = RULE
        axis.strokeWidth = 0.5
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.valueAxis.visibleTicks = False
    chart.categoryAxis.visibleTicks = False


def _legend(theme: Theme, pairs: list[tuple], x: float, y: float) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.fontName = theme.font
    legend.fontSize = LEGEND_SIZE
    legend.fillColor = INK
    legend.boxAnchor = "nw"
    legend.columnMaximum = 1
    legend.deltax = 70
    legend.dx = legend.dy = 7
    legend.strokeWidth = 0
    legend.colorNamePairs = pairs
    return legend


def _nice_top(value: float) -> float:
    """A round number just above `value`, for an axis's end."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return value


def rag_trend(trend: list, labels: dict, theme: Theme, width: float, height: float = 170):
    """Projects by the RAG of their last report of each month, stacked."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 30
    chart.width, chart.height = width - 44, height - 56
    rags = ["green", "amber", "red"]
    chart.data = [[month.counts.get(rag, 0) for month in trend] for rag in rags]
    chart.categoryAxis.categoryNames = [formatting.month(month.month) for month in trend]
    chart.categoryAxis.style = "stacked"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _nice_top(max((month.total for month in trend), default=0))
    chart.valueAxis.labelTextFormat = lambda value: formatting.count(value)
    chart.barWidth = 14
    chart.groupSpacing = 12
    for index, rag in enumerate(rags):
        chart.bars[index].fillColor = RAG_COLOURS[rag]
        chart.bars[index].strokeColor = None
    _axis_style(chart, theme)
    drawing.add(chart)
    drawing.add(_legend(theme, [(RAG_COLOURS[r], str(labels[r])) for r in rags], 34, height - 4))
    return drawing


def budget_bars(rows: list, names: list[str], theme: Theme, width: float, height: float = 190):
    """Budget, actual to date and forecast at completion of each group (department), side
    by side; amounts in short form on the axis."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 44, 42
    chart.width, chart.height = width - 54, height - 68
    chart.data = [[float(value or 0) for value in series] for series in zip(*rows, strict=True)]
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.angle = 20 if len(names) > 5 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(names) > 5 else "n"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _nice_top(max((max(r) for r in chart.data if r), default=0))
    chart.valueAxis.labelTextFormat = formatting.short_amount
    chart.barSpacing = 1
    chart.groupSpacing = 8
    for index, colour in enumerate(SERIES[:3]):
        chart.bars[index].fillColor = colour
        chart.bars[index].strokeColor = None
    _axis_style(chart, theme)
    drawing.add(chart)
    return drawing


def legend_row(pairs: list[tuple], theme: Theme, width: float) -> Drawing:
    drawing = Drawing(width, 14)
    drawing.add(_legend(theme, pairs, 44, 12))
    return drawing


def heat_map(cells: list[list], theme: Theme, *, probability: str, impact: str,
             size: float = 26) -> Drawing:  # fmt: skip
    """The 5x5 grid of the risk matrix: each cell in its level's colour with its number of
    risks; probability 5 at the top, impact 1 to 5 left to right."""
    left, bottom = 30, 28
    drawing = Drawing(left + 5 * size + 8, bottom + 5 * size + 8)
    for row_index, row in enumerate(cells):
        y = bottom + (4 - row_index) * size
        for column_index, cell in enumerate(row):
            x = left + column_index * size
            drawing.add(Rect(x, y, size - 2, size - 2, fillColor=LEVEL_COLOURS[cell.level],
                             strokeColor=None, rx=2, ry=2))  # fmt: skip
            if cell.count:
                label = formatting.count(cell.count)
                drawing.add(String(x + (size - 2) / 2, y + size / 2 - 5, label,
                                   fontName=theme.bold, fontSize=8.5,
                                   fillColor=LEVEL_TEXT[cell.level],
                                   textAnchor="middle"))  # fmt: skip
        drawing.add(String(left - 6, y + size / 2 - 4, str(row[0].probability),
                           fontName=theme.font, fontSize=AXIS_SIZE, fillColor=MUTED,
                           textAnchor="end"))  # fmt: skip
    for column_index in range(5):
        drawing.add(String(left + column_index * size + (size - 2) / 2, bottom - 10,
                           str(column_index + 1), fontName=theme.font, fontSize=AXIS_SIZE,
                           fillColor=MUTED, textAnchor="middle"))  # fmt: skip
    drawing.add(String(left + 2.5 * size, 2, impact, fontName=theme.font, fontSize=AXIS_SIZE,
                       fillColor=INK, textAnchor="middle"))  # fmt: skip
    label = String(0, 0, probability, fontName=theme.font, fontSize=AXIS_SIZE, fillColor=INK,
                   textAnchor="middle")  # fmt: skip
    turned = Group(label)
    turned.transform = (0, 1, -1, 0, 9, bottom + 2.5 * size)
    drawing.add(turned)
    return drawing


def utilisation_bars(rows: list, theme: Theme, width: float) -> Drawing:
    """This month's utilisation of each role (booked hours against capacity), with the 100%
    line; rows are (label, percent)."""
    bar = 11
    height = 30 + bar * 1.6 * max(len(rows), 1)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 110, 18
    chart.width, chart.height = width - 130, height - 26
    chart.data = [[min(float(percent or 0), 200) for _label, percent in reversed(rows)]]
    chart.categoryAxis.categoryNames = [label for label, _percent in reversed(rows)]
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(120, _nice_top(max(chart.data[0], default=0)))
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labelTextFormat = lambda value: f"{value:.0f}%"
    chart.barWidth = bar
    chart.bars[0].fillColor = BRAND
    chart.bars[0].strokeColor = None
    for index, (_label, percent) in enumerate(reversed(rows)):
        if percent is not None and percent > 100:
            chart.bars[(0, index)].fillColor = RAG_COLOURS["red"]
    _axis_style(chart, theme)
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.fillColor = INK
    drawing.add(chart)
    full = chart.x + chart.width * 100 / chart.valueAxis.valueMax
    drawing.add(Line(full, chart.y, full, chart.y + chart.height, strokeColor=INK,
                     strokeWidth=0.8, strokeDashArray=[3, 2]))  # fmt: skip
    return drawing


def line_chart(labels: list[str], series: list[tuple], theme: Theme, width: float,
               height: float = 180, *, amounts: bool = True) -> Drawing:  # fmt: skip
    """Lines over months: `series` is (name, values with None where unknown, colour)."""
    drawing = Drawing(width, height)
    chart = LinePlot()
    chart.x, chart.y = 44, 30
    chart.width, chart.height = width - 54, height - 56
    data, kept = [], []
    for name, values, colour in series:
        points = [(index, float(value)) for index, value in enumerate(values) if value is not None]
        if points:
            data.append(points)
            kept.append((name, colour))
    if not data:
        return drawing
    chart.data = data
    for index, (_name, colour) in enumerate(kept):
        chart.lines[index].strokeColor = colour
        chart.lines[index].strokeWidth = 1.4
        if len(labels) <= 24:
            chart.lines[index].symbol = makeMarker("FilledCircle", size=2.5, fillColor=colour)
    top = max(value for points in data for _x, value in points)
    chart.yValueAxis.valueMin = 0
    chart.yValueAxis.valueMax = _nice_top(top)
    chart.yValueAxis.labelTextFormat = formatting.short_amount if amounts else formatting.count
    chart.xValueAxis.valueMin = 0
    chart.xValueAxis.valueMax = max(len(labels) - 1, 1)
    step = max(len(labels) // 6, 1)
    chart.xValueAxis.valueSteps = list(range(0, len(labels), step))
    chart.xValueAxis.labelTextFormat = lambda value: (
        labels[int(value)] if 0 <= int(value) < len(labels) else ""
    )
    for axis in (chart.xValueAxis, chart.yValueAxis):
        axis.labels.fontName = theme.font
        axis.labels.fontSize = AXIS_SIZE
        axis.labels.fillColor = MUTED
        axis.strokeColor = RULE
        axis.strokeWidth = 0.5
        axis.visibleTicks = False
    chart.yValueAxis.visibleGrid = True
    chart.yValueAxis.gridStrokeColor = RULE
    chart.yValueAxis.gridStrokeWidth = 0.4
    drawing.add(chart)
    drawing.add(_legend(theme, [(colour, name) for name, colour in kept], 44, height - 4))
    return drawing
