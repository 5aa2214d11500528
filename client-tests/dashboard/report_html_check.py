#!/usr/bin/env python3
"""--report-html and GET /_graphfake/report.html: after a well-behaved and an
impatient client, the page is well-formed, self-contained (nothing loaded
from elsewhere), has an <svg> timeline naming each operation's id, and marks
the impatient client's early poll and the 429 it was answered.

Usage: report_html_check.py PATH/TO/graphfake WORK_DIR
"""

import html.parser
import re
import sys

import dashboard_run

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# SVG elements written self-closed (<rect .../>) are empty elements too.


class Page(html.parser.HTMLParser):
    """Checks tags nest and close, and collects what the checks need."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open = []
        self.problems = []
        self.svgs = []  # the attributes of each <svg class="timeline" id=...>
        self.marks = []  # (operation id of the enclosing svg, class attribute) of each mark
        self.references = []  # attributes that would load something
        self.scripts = 0
        self.styles = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self._start(tag, attributes)
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, dict(attrs))

    def _start(self, tag, attributes):
        if tag == "script":
            self.scripts += 1
        if tag == "link":
            self.references.append(("link", attributes))
        for name in ("src", "href", "xlink:href", "srcset", "action", "data", "poster"):
            value = attributes.get(name)
            if value is not None and not value.startswith("#"):
                self.references.append((tag, {name: value}))
        if "url(" in attributes.get("style", ""):
            self.references.append((tag, {"style": attributes["style"]}))
        if tag == "svg" and attributes.get("data-operation-id"):
            self.svgs.append(attributes)
        if tag == "g" and "mark" in attributes.get("class", "").split():
            owner = next((svg for svg in reversed(self.svgs)), {})
            self.marks.append((owner.get("data-operation-id"), attributes["class"].split()))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> at line {self.getpos()[0]} closes {self.open[-1:] or 'nothing'}")
            return
        self.open.pop()

    def handle_data(self, data):
        if self.open and self.open[-1] == "style":
            self.styles.append(data)


def check_page(text, operations, what):
    page = Page()
    page.feed(text)
    page.close()
    dashboard_run.check(text.startswith("<!DOCTYPE html>"), f"{what}: no doctype")
    dashboard_run.check(not page.problems, f"{what}: not well-formed: {page.problems[:5]}")
    dashboard_run.check(not page.open, f"{what}: unclosed elements at the end: {page.open}")
    dashboard_run.check(page.scripts == 0, f"{what}: has {page.scripts} scripts; it must be readable without")
    dashboard_run.check(not page.references, f"{what}: loads from elsewhere: {page.references[:5]}")
    css = "".join(page.styles)
    dashboard_run.check("url(" not in css and "@import" not in css, f"{what}: its CSS loads from elsewhere")
    for operation_id in operations.values():
        svgs = [svg for svg in page.svgs if svg.get("data-operation-id") == operation_id]
        dashboard_run.check(len(svgs) == 1, f"{what}: {len(svgs)} timelines of {operation_id}")
        dashboard_run.check(operation_id in svgs[0].get("id", ""), f"{what}: the svg's id does not name "
                            f"{operation_id}: {svgs[0]}")
    impatient = [classes for owner, classes in page.marks if owner == operations["impatient"]]
    patient = [classes for owner, classes in page.marks if owner == operations["well-behaved"]]
    dashboard_run.check(any("poll" in c and "early" in c for c in impatient),
                        f"{what}: no early poll marked for the impatient client: {impatient}")
    dashboard_run.check(any("throttled" in c for c in impatient),
                        f"{what}: no 429 marked for the impatient client: {impatient}")
    dashboard_run.check(not any("early" in c or "throttled" in c for c in patient),
                        f"{what}: the well-behaved client has early or throttled marks: {patient}")
    dashboard_run.check(sum("blob" in c for c in patient) == 2,
                        f"{what}: the well-behaved client's two blob downloads are not both marked: {patient}")
    for invoice in (dashboard_run.WELL_BEHAVED_INVOICE, dashboard_run.IMPATIENT_INVOICE):
        dashboard_run.check(f"invoice {invoice}" in text, f"{what}: invoice {invoice} is not named")
    return page


def main(binary, work):
    fake = dashboard_run.start(binary, work)
    try:
        operations = {"well-behaved": dashboard_run.well_behaved_client(fake),
                      "impatient": dashboard_run.impatient_client(fake)}

        unauthorized = dashboard_run.request("GET", f"{fake.base_url}/_graphfake/report.html")
        dashboard_run.check(unauthorized.status == 401, f"report.html without the token: {unauthorized.status}")
        wrong = dashboard_run.request("GET", f"{fake.base_url}/_graphfake/report.html?access_token=x")
        dashboard_run.check(wrong.status == 401, f"report.html with a wrong token: {wrong.status}")
        served = dashboard_run.request(
            "GET", f"{fake.base_url}/_graphfake/report.html?access_token={fake.admin_token}")
        dashboard_run.check(served.status == 200, f"report.html with ?access_token: {served.status}")
        dashboard_run.check(served.headers.get("content-type", "").startswith("text/html"),
                            f"report.html: Content-Type {served.headers.get('content-type')}")
        dashboard_run.check("default-src 'none'" in served.headers.get("content-security-policy", ""),
                            "report.html: no Content-Security-Policy keeping it self-contained")
        check_page(served.body.decode("utf-8"), operations, "GET /_graphfake/report.html")
        print("ok: GET /_graphfake/report.html needs the admin token and draws both operations")
    finally:
        status = fake.stop()
    dashboard_run.check(status == 0, f"graphfake exited with {status}")
    text = fake.report_html.read_text(encoding="utf-8")
    check_page(text, operations, "--report-html")
    dashboard_run.check("Namespace default" in text, "--report-html: the default namespace is not headed")
    print(f"ok: --report-html wrote {len(text)} bytes: self-contained, a timeline per operation, "
          f"the early poll and the 429 marked")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    try:
        main(sys.argv[1], sys.argv[2])
    except dashboard_run.CheckFailed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
