"""Pure chart builders for Trends: plain data in, a Plotly figure (or a one-sentence summary) out.
Imports only the standard library, plotly and companion.clinical."""

from companion.charts.figures import (
    InfusionMark,
    MoodPoint,
    ResponseSeries,
    ScoreReading,
    SideEffectRow,
    WellbeingDay,
    mood_chart,
    questionnaire_chart,
    response_chart,
    side_effects_chart,
    wellbeing_chart,
)
from companion.charts.summaries import (
    summarize_mood,
    summarize_questionnaire,
    summarize_response,
    summarize_side_effects,
    summarize_wellbeing,
)
from companion.charts.theme import CONFIG, base_layout

__all__ = [
    "CONFIG",
    "InfusionMark",
    "MoodPoint",
    "ResponseSeries",
    "ScoreReading",
    "SideEffectRow",
    "WellbeingDay",
    "base_layout",
    "mood_chart",
    "questionnaire_chart",
    "response_chart",
    "side_effects_chart",
    "summarize_mood",
    "summarize_questionnaire",
    "summarize_response",
    "summarize_side_effects",
    "summarize_wellbeing",
    "wellbeing_chart",
]
