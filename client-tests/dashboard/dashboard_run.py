"""What the dashboard tests share: the graphfake binary started with an admin
token and --report-html, and two clients driven against it over HTTP.

  * a well-behaved client (invoice G000000001): waits each Retry-After,
    downloads every blob, stops at succeeded;
  * an impatient client (invoice G000000666, a rule that throttles early
    polls): polls once too early (answered 200 with a Retry-After, then
    again before it elapsed: an early poll answered 429), ignores the 429,
    then waits and finishes.

Only the Python standard library.
"""

import json
import os
import pathlib
import secrets
import select
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid

BILLED_EXPORT = "/v1.0/reports/partners/billing/reconciliation/billed/export"
WELL_BEHAVED_INVOICE = "G000000001"
IMPATIENT_INVOICE = "G000000666"
STARTUP_TIMEOUT = 10.0
HTTP_TIMEOUT = 10.0

SCENARIO = {
    "description": "dashboard tests: one throttling rule for the impatient client, one plain for the other.",
    "rules": [
        {
            "name": "impatient",
            "match": {"invoiceId": IMPATIENT_INVOICE},
            "earlyPolls": "throttle",
            "timeline": [
                {"status": "notStarted", "polls": 1, "retryAfter": "10s"},
                {"status": "running", "after": "30s", "retryAfter": "15s"},
                {"status": "succeeded", "rows": 3},
            ],
        },
        {
            "name": "patient",
            "match": {"invoiceId": WELL_BEHAVED_INVOICE},
            "timeline": [
                {"status": "notStarted", "polls": 1, "retryAfter": "5s"},
                {"status": "running", "after": "10s", "retryAfter": "5s"},
                {"status": "succeeded", "rows": 5, "blobs": 2},
            ],
        },
    ],
}


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {name.lower(): value for name, value in headers}
        self.body = body

    def json(self):
        return json.loads(self.body)


def request(method, url, body=None, headers=None):
    data = None
    headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    elif method in ("POST", "PUT"):
        data = b""
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as res:
            return Response(res.status, res.getheaders(), res.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers.items(), error.read())


class Fake:
    """The running binary."""

    def __init__(self, proc, base_url, graph_token, admin_token, report_html):
        self.proc = proc
        self.base_url = base_url
        self.graph_token = graph_token
        self.admin_token = admin_token
        self.report_html = report_html

    def admin(self, method, path, body=None, expect=200):
        res = request(method, f"{self.base_url}/_graphfake{path}", body,
                      {"Authorization": f"Bearer {self.admin_token}"})
        check(res.status == expect, f"{method} {path}: expected {expect}, got {res.status}: {res.body[:300]!r}")
        return res

    def graph(self, method, url, body=None):
        return request(method, url, body, {"Authorization": f"Bearer {self.graph_token}",
                                           "client-request-id": str(uuid.uuid4())})

    def advance(self, seconds):
        self.admin("POST", "/clock/advance", {"by": f"{seconds}s"})

    def stop(self):
        """SIGTERM; returns the exit status."""
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=15)


def start(binary, work):
    work = pathlib.Path(work)
    work.mkdir(parents=True, exist_ok=True)
    port_file = work / "graphfake.port"
    if port_file.exists():
        port_file.unlink()
    scenario = work / "dashboard.json"
    scenario.write_text(json.dumps(SCENARIO))
    admin_token = secrets.token_hex(16)
    report_html = work / "report.html"
    stderr = open(work / "stderr.txt", "wb")
    proc = subprocess.Popen(
        [binary, "--clock", "virtual", "--port", "0", "--port-file", str(port_file), "--admin-token", admin_token,
         "--scenario", str(scenario), "--report-html", str(report_html)],
        stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL)
    stderr.close()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    line = b""
    while not line.endswith(b"\n"):
        if proc.poll() is not None:
            raise CheckFailed(f"graphfake exited with {proc.returncode}:\n{(work / 'stderr.txt').read_text()}")
        remaining = deadline - time.monotonic()
        check(remaining > 0, f"no ready line after {STARTUP_TIMEOUT} s")
        readable, _, _ = select.select([proc.stdout], [], [], remaining)
        if readable:
            chunk = os.read(proc.stdout.fileno(), 4096)
            check(chunk, "stdout closed before the ready line")
            line += chunk
    ready = json.loads(line)
    return Fake(proc, ready["base_url"], ready["token"], admin_token, report_html)


def start_export(fake, invoice):
    res = fake.graph("POST", fake.base_url + BILLED_EXPORT, {"invoiceId": invoice, "attributeSet": "full"})
    check(res.status == 202, f"export of {invoice}: {res.status} {res.body[:300]!r}")
    location = res.headers["location"]
    return location, location.rsplit("/", 1)[1]


def download(fake, manifest):
    for blob in manifest["blobs"]:
        url = manifest["rootDirectory"] + "/" + blob["name"] + "?" + manifest["sasToken"]
        res = request("GET", url)
        check(res.status == 200, f"blob {blob['name']}: {res.status}")


def well_behaved_client(fake):
    """Returns its operation id."""
    location, operation_id = start_export(fake, WELL_BEHAVED_INVOICE)
    for _ in range(10):
        res = fake.graph("GET", location)
        check(res.status == 200, f"well-behaved poll: {res.status}")
        body = res.json()
        if body["status"] == "succeeded":
            download(fake, body["resourceLocation"])
            return operation_id
        fake.advance(int(res.headers["retry-after"]))
    raise CheckFailed("the well-behaved client's export did not succeed")


def impatient_client(fake):
    """Polls too early, once answered 429 and once more inside that 429's
    Retry-After; then waits. Returns its operation id."""
    location, operation_id = start_export(fake, IMPATIENT_INVOICE)
    first = fake.graph("GET", location)
    check(first.status == 200, f"impatient first poll: {first.status}")
    early = fake.graph("GET", location)
    check(early.status == 429, f"impatient early poll: expected 429, got {early.status}")
    again = fake.graph("GET", location)
    check(again.status == 429, f"impatient poll inside the 429's Retry-After: expected 429, got {again.status}")
    fake.advance(int(again.headers["retry-after"]))
    for _ in range(10):
        res = fake.graph("GET", location)
        check(res.status == 200, f"impatient poll after waiting: {res.status}")
        if res.json()["status"] == "succeeded":
            return operation_id
        fake.advance(int(res.headers["retry-after"]))
    raise CheckFailed("the impatient client's export did not succeed")
