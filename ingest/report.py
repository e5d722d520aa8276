"""`hasila report`: one self-contained HTML file of charts over the marts, with a way down to the sentences.

The page must open offline (an analyst mails it, or opens it on a laptop with no network): plotly's
whole JavaScript bundle is inlined, the data are embedded as JSON, and the map is a plain
longitude/latitude scatter, because plotly's geographic maps fetch their outlines from a CDN.
Arabic is kept as Unicode text and the page is right-to-left; the browser shapes the letters.

Every chart point and table row carries keys (incident id, month, actor group, tally id) that the
page's small script uses to list the mentions behind it: sentence, document, date, outlet.
The marts are read through the guarded read-only connection (ingest/sql.py), like `hasila sql`.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import plotly.graph_objects as go
import plotly.io as pio
from jinja2 import Environment, FileSystemLoader, select_autoescape
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from .extract.lexicons import read_seed
from .sql import _plain, open_guarded

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "report.html.j2"
LARGEST = 25  # rows of the "largest incidents" table before any filter

# Presentation labels of the mention contract's outcomes, code -> (Arabic, English), from the one list
# of outcomes (seeds/outcomes.csv), so a new outcome gets its own chart without a code change.
OUTCOMES = {row["code"]: (row["label_ar"], row["label_en"]) for row in read_seed("outcomes.csv")}

# The Arabic strings in this module are the page's bilingual labels (chart titles, axes, legends, the
# "غير محدد" of an unknown governorate), shown to readers and never matched against text: presentation,
# not vocabulary, so they stay beside the charts they label rather than in seeds/.

# One query per block of the page; each reads marts only.
QUERIES = {
    "incidents": """
        SELECT i.incident_id, i.event_date, i.date_precision, i.place, i.place_name_en, i.admin1,
               g.name_ar AS governorate_ar, g.name_en AS governorate_en, i.latitude, i.longitude, i.geo_precision,
               i.perpetrator, i.killed_best, i.killed_low, i.killed_high, i.injured_best, i.injured_low,
               i.injured_high, i.n_mentions, i.n_documents, i.n_sources, i.has_conflict
        FROM marts.fct_incidents i LEFT JOIN marts.dim_governorates g USING (admin1)
        ORDER BY i.killed_best DESC NULLS LAST, i.injured_best DESC NULLS LAST, i.incident_id""",
    "incident_casualties": """
        SELECT incident_id, outcome, victim, best, low, high, additive_best,
               CASE WHEN date_precision IN ('day', 'month') THEN date_trunc('month', event_date) END AS month_start
        FROM marts.fct_incident_casualties ORDER BY incident_id, outcome, victim""",
    "monthly": """
        SELECT date_trunc('month', i.event_date) AS month_start, coalesce(i.admin1, '') AS admin1,
               coalesce(g.name_ar, 'غير محدد') AS governorate_ar, coalesce(g.name_en, 'unknown') AS governorate_en,
               count(*) AS n_incidents
        FROM marts.fct_incidents i LEFT JOIN marts.dim_governorates g USING (admin1)
        WHERE i.event_date IS NOT NULL AND i.date_precision IN ('day', 'month')
        GROUP BY ALL ORDER BY month_start, admin1""",
    "actor_casualties": """
        SELECT c.actor_code, c.actor_label_en, a.label_ar AS actor_label_ar, c.month_start, c.outcome,
               c.best, c.low, c.high, c.n_incidents
        FROM marts.fct_actor_casualties c LEFT JOIN marts.dim_actors a USING (actor_code)
        ORDER BY c.outcome, c.actor_code, c.month_start""",
    # each reported tally beside the incident sum to its date, and each group's incident sum to date
    "regime_losses": """
        WITH r AS (
            SELECT 'reported_tally' AS row_kind, victim, victim_label_en, period_start, as_of_date, tally_id,
                   doc_id, tally_source, tally_value, tally_qualifier, incident_killed_best, incident_killed_low,
                   incident_killed_high, n_incidents, tally_minus_incidents
            FROM marts.rpt_regime_loss_tallies_since_2019
            UNION ALL
            SELECT 'incidents_only', victim, victim_label_en, period_start, as_of_date, NULL, NULL, NULL, NULL, NULL,
                   incident_killed_best, incident_killed_low, incident_killed_high, n_incidents, NULL
            FROM marts.rpt_regime_losses_by_group_since_2019
        )
        SELECT r.row_kind, r.victim, r.victim_label_en, a.label_ar AS victim_label_ar, r.period_start,
               r.as_of_date, r.tally_id, r.doc_id, r.tally_source, r.tally_value, r.tally_qualifier,
               r.incident_killed_best, r.incident_killed_low, r.incident_killed_high, r.n_incidents,
               r.tally_minus_incidents
        FROM r LEFT JOIN marts.dim_actors a ON a.actor_code = r.victim
        ORDER BY r.victim, r.row_kind, r.as_of_date""",
    "actors": "SELECT actor_code, label_ar, label_en FROM marts.dim_actors ORDER BY actor_code",
    "governorates": "SELECT admin1, name_ar, name_en, latitude, longitude FROM marts.dim_governorates ORDER BY admin1",
    # Mentions that reached an incident or a tally: the provenance the page drills down to.
    "mentions": """
        SELECT m.mention_id, m.destination, m.incident_id, m.doc_id, m.published_at, d.outlet, d.url,
               m.sentence, m.outcome, m.reported_count, m.count_qualifier, m.victim, m.source,
               m.place_name_ar, m.event_date, m.link_rule, m.is_subset
        FROM marts.fct_mentions m
        LEFT JOIN marts.dim_documents d ON d.content_hash = m.content_hash AND d.doc_id = m.doc_id
        WHERE m.destination IN ('incident', 'tally')
        ORDER BY m.incident_id, m.published_at, m.doc_id, m.char_start""",
}


@dataclass(frozen=True)
class ReportData:
    tables: dict[str, list[dict]]
    built_at: str


def _rows(con: duckdb.DuckDBPyConnection, query: str) -> list[dict]:
    cursor = con.execute(query)
    names = [column[0] for column in cursor.description]
    return [{name: _plain(value) for name, value in zip(names, row)} for row in cursor.fetchall()]


def load(warehouse: Path) -> ReportData:
    """Every block of the report, read from the published warehouse through the guarded connection."""
    with open_guarded(warehouse) as con:
        tables = {name: _rows(con, query) for name, query in QUERIES.items()}
    return ReportData(tables, datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


def _month(value: str | None) -> str | None:
    return value[:7] if value else None  # 'YYYY-MM' from an ISO date


def _fig_monthly(data: ReportData) -> go.Figure:
    fig = go.Figure()
    by_gov: dict[str, list[dict]] = {}
    for row in data.tables["monthly"]:
        by_gov.setdefault(row["admin1"], []).append(row)
    for admin1, rows in by_gov.items():
        fig.add_bar(x=[r["month_start"] for r in rows], y=[r["n_incidents"] for r in rows],
                    name=rows[0]["governorate_ar"],
                    customdata=[[admin1, _month(r["month_start"])] for r in rows],
                    hovertemplate=f"{rows[0]['governorate_ar']} ({rows[0]['governorate_en']})<br>%{{x|%Y-%m}}: %{{y}}<extra></extra>")
    fig.update_layout(barmode="stack", xaxis_title="الشهر (month)", yaxis_title="حوادث (incidents)")
    return fig


def _error_bars(rows: list[dict], best: str, low: str, high: str) -> dict:
    """Asymmetric error bars from low to high around best (a missing figure counts 0)."""
    return dict(type="data", symmetric=False,
                array=[(r[high] or 0) - (r[best] or 0) for r in rows],
                arrayminus=[(r[best] or 0) - (r[low] or 0) for r in rows])


def _rows_by_actor(data: ReportData, outcome: str) -> dict[str, list[dict]]:
    """The monthly actor_casualties rows of one outcome, per actor group, in actor order."""
    by_actor: dict[str, list[dict]] = {}
    for row in data.tables["actor_casualties"]:
        if row["outcome"] == outcome:
            by_actor.setdefault(row["actor_code"], []).append(row)
    return dict(sorted(by_actor.items()))


def _actor_trace(actor: str, rows: list[dict], outcome: str, first_time: bool) -> dict:
    """One actor group's monthly best (with its range) for one outcome; its legend entry shown once."""
    label = rows[0]["actor_label_ar"] or actor
    return dict(x=[r["month_start"] for r in rows], y=[r["best"] for r in rows],
                error_y=_error_bars(rows, "best", "low", "high"),
                mode="lines+markers", name=label, legendgroup=actor, showlegend=first_time,
                customdata=[[actor, _month(r["month_start"]), outcome] for r in rows],
                hovertemplate=f"{label} ({rows[0]['actor_label_en']})<br>%{{x|%Y-%m}}: %{{y}}<extra></extra>")


def _fig_casualties(data: ReportData) -> go.Figure:
    outcomes = list(OUTCOMES)
    fig = make_subplots(rows=len(outcomes), cols=1, shared_xaxes=True, vertical_spacing=0.04,
                        subplot_titles=[f"{OUTCOMES[o][0]} ({OUTCOMES[o][1]})" for o in outcomes])
    shown: set[str] = set()
    for row_number, outcome in enumerate(outcomes, start=1):
        for actor, rows in _rows_by_actor(data, outcome).items():
            fig.add_scatter(**_actor_trace(actor, rows, outcome, actor not in shown), row=row_number, col=1)
            shown.add(actor)
    fig.update_layout(height=230 * len(outcomes))
    return fig


def _victim_labels(rows: list[dict]) -> list[str]:
    return [r["victim_label_ar"] or r["victim"] for r in rows]


def _regime_keys(kind: str, rows: list[dict]) -> list[list]:
    """What the page needs to list the mentions behind a point: its kind, tally and period."""
    return [[kind, r["tally_id"], r["victim"], r["period_start"], r["as_of_date"]] for r in rows]


def _fig_regime(data: ReportData) -> go.Figure:
    fig = go.Figure()
    rows = [r for r in data.tables["regime_losses"] if r["as_of_date"]]
    tallies = [r for r in rows if r["row_kind"] == "reported_tally"]
    fig.add_scatter(x=[r["as_of_date"] for r in tallies], y=[r["tally_value"] for r in tallies],
                    mode="markers", marker=dict(symbol="diamond", size=12), name="حصيلة المرصد (SOHR tally)",
                    text=_victim_labels(tallies), customdata=_regime_keys("tally", tallies),
                    hovertemplate="%{text}<br>%{x}: %{y}<extra>SOHR</extra>")
    fig.add_scatter(x=[r["as_of_date"] for r in rows], y=[r["incident_killed_best"] for r in rows],
                    error_y=_error_bars(rows, "incident_killed_best", "incident_killed_low", "incident_killed_high"),
                    mode="markers", marker=dict(size=10), name="مجموع الحوادث (sum of incidents)",
                    text=_victim_labels(rows), customdata=_regime_keys("incidents", rows),
                    hovertemplate="%{text}<br>%{x}: %{y}<extra>incidents</extra>")
    fig.update_layout(xaxis_title="حتى تاريخ (as of)", yaxis_title="قتلى (killed)", yaxis_type="log")
    return fig


def _governorate_labels(data: ReportData) -> dict:
    """The governorates' Arabic names at their centroids: the map's only outline."""
    govs = [g for g in data.tables["governorates"] if g["latitude"] is not None]
    return dict(x=[g["longitude"] for g in govs], y=[g["latitude"] for g in govs], mode="text",
                text=[g["name_ar"] for g in govs], textfont=dict(color="#888", size=12),
                hoverinfo="skip", name="المحافظات", showlegend=False)


def _incident_marker(incident: dict) -> tuple[float, str, str]:
    """(size, colour, hover text) of one located incident: the area grows with the killed, red when
    placed at a village or town, orange at a governorate centroid."""
    killed = incident["killed_best"] or 0
    colour = "#c0392b" if incident["geo_precision"] == "place" else "#e67e22"
    text = f"{incident['place'] or ''} — {incident['event_date'] or '?'} — قتلى {killed}"
    return 6 + 3 * math.sqrt(killed), colour, text


def _incident_points(data: ReportData) -> dict:
    located = [i for i in data.tables["incidents"] if i["latitude"] is not None and i["longitude"] is not None]
    markers = [_incident_marker(i) for i in located]
    return dict(x=[i["longitude"] for i in located], y=[i["latitude"] for i in located], mode="markers",
                marker=dict(size=[m[0] for m in markers], color=[m[1] for m in markers], opacity=0.7,
                            line=dict(width=1, color="#333")),
                text=[m[2] for m in markers], customdata=[[i["incident_id"]] for i in located], name="حوادث (incidents)",
                hovertemplate="%{text}<extra></extra>")


def _fig_map(data: ReportData) -> go.Figure:
    fig = go.Figure()
    fig.add_scatter(**_governorate_labels(data))
    fig.add_scatter(**_incident_points(data))
    fig.update_layout(xaxis_title="خط الطول (longitude)", yaxis_title="خط العرض (latitude)", height=560,
                      yaxis=dict(scaleanchor="x", scaleratio=1.2))  # ~1/cos(35°): degrees of longitude are shorter
    return fig


FIGURES = {  # element id -> builder; the template places each id once
    "fig-monthly": _fig_monthly,
    "fig-casualties": _fig_casualties,
    "fig-regime": _fig_regime,
    "fig-map": _fig_map,
}


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element: no '<' can close it or open a comment."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def render(data: ReportData) -> str:
    """The whole page as one string."""
    figures = {}
    for element_id, build in FIGURES.items():
        fig = build(data)
        fig.update_layout(margin=dict(l=50, r=30, t=40, b=40), legend=dict(orientation="h", y=-0.12),
                          font=dict(family="Noto Naskh Arabic, Noto Sans Arabic, DejaVu Sans, Arial, sans-serif"),
                          template="plotly_white", clickmode="event")
        figures[element_id] = json.loads(pio.to_json(fig, validate=True))
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"]))
    return env.get_template(TEMPLATE).render(
        plotly_js=get_plotlyjs(),
        data_json=_script_json({"tables": data.tables, "figures": figures, "outcomes": OUTCOMES,
                                "largest": LARGEST}),
        built_at=data.built_at,
        n_incidents=len(data.tables["incidents"]),
        n_mentions=len(data.tables["mentions"]),
        n_documents=len({m["doc_id"] for m in data.tables["mentions"]}),
    )


def write_report(warehouse: Path, out: Path) -> Path:
    """Write the report of `warehouse` to `out` (one HTML file) and return its path."""
    html = render(load(warehouse))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out
