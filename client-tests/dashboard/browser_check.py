#!/usr/bin/env python3
"""The dashboard in a real browser: after a well-behaved and an impatient
client, GET /_graphfake/ui rendered by headless Chromium lists both
operations with their invoices, draws the impatient one's timeline with its
early poll and the 429 it was answered marked, and, with #operation=ID,
shows that operation's exact requests. Leaves a screenshot,
dashboard.png, in WORK_DIR.

Usage: browser_check.py PATH/TO/graphfake WORK_DIR
Exits 77 (skipped) when no Chromium is installed, unless
GRAPHFAKE_BROWSER_REQUIRED=1 (as CI sets it) makes that a failure; CHROMIUM
names one.
"""

import html.parser
import os
import pathlib
import shutil
import subprocess
import sys

import dashboard_run

SKIPPED = 77
CHROMIUM_TIMEOUT = 120  # seconds per run; the machine may be busy


def find_chromium():
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def chromium(browser, work, *arguments):
    # A profile of its own, so that runs never share state or a lock.
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               f"--user-data-dir={work / 'chromium-profile'}", "--virtual-time-budget=5000", *arguments]
    done = subprocess.run(command, capture_output=True, timeout=CHROMIUM_TIMEOUT)
    dashboard_run.check(done.returncode == 0, f"{command} exited {done.returncode}: {done.stderr[-2000:]!r}")
    return done.stdout.decode("utf-8", "replace")


class RenderedDom(html.parser.HTMLParser):
    """What the checks need of the DOM Chromium dumped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows = {}  # operation id -> the row's cell texts
        self.marks = []  # (operation id of the enclosing svg, classes)
        self.exchanges = []  # sequences of the chosen operation's exact requests
        self.status_line = ""
        self._row = None
        self._cell = None
        self._svg = None
        self._in_status = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "tr" and attributes.get("data-operation-id"):
            self._row = attributes["data-operation-id"]
            self.rows[self._row] = []
        elif tag == "td" and self._row:
            self._cell = []
        elif tag == "svg" and attributes.get("data-operation-id"):
            self._svg = attributes["data-operation-id"]
        elif tag == "g" and "mark" in attributes.get("class", "").split():
            self.marks.append((self._svg, attributes["class"].split()))
        elif tag == "li" and "exchange" in attributes.get("class", "").split():
            self.exchanges.append(int(attributes.get("data-sequence", "0")))
        elif attributes.get("id") == "status-line":
            self._in_status = True

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None and self._row:
            self.rows[self._row].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr":
            self._row = None
        elif tag == "svg":
            self._svg = None
        elif tag == "p":
            self._in_status = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._in_status:
            self.status_line += data


def main(binary, work):
    browser = find_chromium()
    if browser is None:
        if os.environ.get("GRAPHFAKE_BROWSER_REQUIRED") == "1":
            raise dashboard_run.CheckFailed("no Chromium, and GRAPHFAKE_BROWSER_REQUIRED=1")
        print("skipped: no Chromium (install Debian's chromium package, or set CHROMIUM)")
        return SKIPPED
    work = pathlib.Path(work)
    fake = dashboard_run.start(binary, work)
    try:
        operations = {"well-behaved": dashboard_run.well_behaved_client(fake),
                      "impatient": dashboard_run.impatient_client(fake)}
        url = f"{fake.base_url}/_graphfake/ui?access_token={fake.admin_token}"

        refused = dashboard_run.request("GET", f"{fake.base_url}/_graphfake/ui")
        dashboard_run.check(refused.status == 401, f"the dashboard without the admin token: {refused.status}")

        dom = RenderedDom()
        text = chromium(browser, work, "--dump-dom", url)
        (work / "dashboard.html").write_text(text)
        dom.feed(text)
        dashboard_run.check(dom.status_line.startswith("Updated"),
                            f"the dashboard did not update: {dom.status_line!r}")
        for who, invoice in (("well-behaved", dashboard_run.WELL_BEHAVED_INVOICE),
                             ("impatient", dashboard_run.IMPATIENT_INVOICE)):
            row = dom.rows.get(operations[who])
            dashboard_run.check(row is not None, f"the {who} operation {operations[who]} is not listed: {dom.rows}")
            dashboard_run.check(f"invoice {invoice}" in row, f"the {who} operation's row lacks its invoice: {row}")
        dashboard_run.check("misbehaved" in dom.rows[operations["impatient"]],
                            f"the impatient client is not flagged: {dom.rows[operations['impatient']]}")
        impatient = [classes for owner, classes in dom.marks if owner == operations["impatient"]]
        dashboard_run.check(any("poll" in c and "early" in c for c in impatient),
                            f"the impatient client's early poll is not marked: {impatient}")
        dashboard_run.check(any("throttled" in c for c in impatient),
                            f"the 429 the impatient client got is not marked: {impatient}")
        print(f"ok: the dashboard lists both operations with their invoices and marks the early poll and the 429 "
              f"({len(impatient)} marks)")

        chosen = RenderedDom()
        chosen.feed(chromium(browser, work, "--dump-dom", f"{url}#operation={operations['well-behaved']}"))
        patient = [classes for owner, classes in chosen.marks if owner == operations["well-behaved"]]
        dashboard_run.check(patient and not any("early" in c or "throttled" in c for c in patient),
                            f"the well-behaved operation, chosen, is not drawn clean: {patient}")
        journaled = [e["sequence"] for e in fake.admin(
            "GET", f"/journal?operationId={operations['well-behaved']}").json()["entries"]]
        dashboard_run.check(chosen.exchanges == journaled,
                            f"the chosen operation's exact requests: {chosen.exchanges}, journal: {journaled}")
        print(f"ok: #operation=ID shows the well-behaved operation drawn clean, with its {len(journaled)} requests")

        chromium(browser, work, "--window-size=1280,2200", f"--screenshot={work / 'dashboard.png'}", url)
        dashboard_run.check((work / "dashboard.png").stat().st_size > 0, "the screenshot is empty")
        print(f"ok: screenshot {work / 'dashboard.png'}")
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    try:
        sys.exit(main(sys.argv[1], sys.argv[2]))
    except (dashboard_run.CheckFailed, subprocess.TimeoutExpired) as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
