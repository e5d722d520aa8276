"""Progress for the dbt step, read from dbt's own per-node lines.

dbt prints a line when a node finishes, "12:00:03  12 of 306 OK created sql table model marts.x ...
[OK in 0.10s]" (PASS, FAIL, WARN, ERROR, SKIP and NO-OP likewise). On a terminal they drive a tqdm
bar; in a log (cron, systemd) a line every quarter and every failing node, so a 30-60 s step is
neither silent nor 300 lines long.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Callable, Optional

from tqdm import tqdm

# A finished node: "N of TOTAL STATUS what"; START lines (a node beginning) are not progress.
_NODE_DONE = re.compile(r"^(?:\d\d:\d\d:\d\d\s+)?(\d+) of (\d+) (OK|PASS|WARN|ERROR|FAIL|SKIP|NO-OP)\b\s*(.*)$")
# dbt pads the node's name with dots up to the timing in brackets.
_PADDING = re.compile(r"\s*\.{2,}\s*\[.*\]\s*$")
PROBLEM_STATUSES = {"WARN", "ERROR", "FAIL"}
MILESTONES = 4  # lines per build in a log: 25 %, 50 %, 75 %, 100 %


@dataclass(frozen=True)
class NodeLine:
    index: int      # dbt's number for the node (nodes run in parallel, so they finish out of order)
    total: int
    status: str
    what: str       # "created sql table model marts.fct_incidents"


def parse_node_line(line: str) -> Optional[NodeLine]:
    """The finished node a line of dbt output reports, or None for any other line."""
    match = _NODE_DONE.match(line.strip())
    if match is None:
        return None
    index, total, status, what = match.groups()
    if what.startswith("hook:"):  # on-run-start/-end hooks count "1 of 1" apart from the nodes
        return None
    return NodeLine(int(index), int(total), status, _PADDING.sub("", what))


class DbtProgress:
    """A callable fed each line of dbt output; `close()` when dbt is done.

    `show_bar`: True a tqdm bar on stderr, False lines through `echo`, None a bar only on a terminal
    (as the loader's progress does)."""

    def __init__(self, echo: Callable[[str], None], show_bar: Optional[bool] = None):
        self.echo = echo
        self.show_bar = sys.stderr.isatty() if show_bar is None else show_bar
        self.done = 0
        self.bar: Optional[tqdm] = None
        self._next_milestone = 1

    def __call__(self, line: str) -> None:
        node = parse_node_line(line)
        if node is None:
            return
        self.done += 1
        if self.show_bar:
            self._advance_bar(node)
        else:
            self._log(node)

    def _advance_bar(self, node: NodeLine) -> None:
        if self.bar is None:
            self.bar = tqdm(total=node.total, desc="dbt build", unit="node", file=sys.stderr, leave=False)
        self.bar.update(1)
        self.bar.set_postfix_str(node.what.split(" ")[-1][-40:], refresh=False)
        if node.status in PROBLEM_STATUSES:
            self.bar.write(f"dbt: {node.index} of {node.total} {node.status} {node.what}", file=sys.stderr)

    def _log(self, node: NodeLine) -> None:
        if node.status in PROBLEM_STATUSES:
            self.echo(f"dbt: {node.index} of {node.total} {node.status} {node.what}")
        if self.done * MILESTONES >= self._next_milestone * node.total:
            self.echo(f"dbt build: {self.done} of {node.total} nodes done")
            self._next_milestone = self.done * MILESTONES // node.total + 1

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
