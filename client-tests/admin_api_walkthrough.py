#!/usr/bin/env python3
"""The admin API is enough: a test with no C++ drives the graphfake binary.

Usage: admin_api_walkthrough.py PATH/TO/graphfake

Starts the binary (virtual clock, a free port, an admin token, a report
file) and then, over HTTP only (docs/admin-api.md):

  1. health, and 401 without the admin token;
  2. reset, and an inline scenario file loaded with PUT /_graphfake/scenarios;
  3. a well-behaved client: export, follow Location, advance the clock by
     exactly each Retry-After before polling, download and gunzip the blobs;
  4. the journal and the client report agree with what the client did;
  5. an impatient client against "earlyPolls": "throttle": 429s whose
     Retry-After doubles, and a report that flags it;
  6. namespaces: two fakes in one process, with their own clocks, operations
     and journals;
  7. SIGTERM: exit 0, the --report file, the summary table on stderr.

Prints one line per step; on the first failed check prints expected and
actual and exits 1. Only the Python standard library.
"""

import gzip
import json
import os
import pathlib
import secrets
import select
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

BILLED_EXPORT = "/v1.0/reports/partners/billing/reconciliation/billed/export"
INVOICE = "G016907411"
STARTUP_TIMEOUT = 10.0  # seconds, for the port file and the ready line
HTTP_TIMEOUT = 10.0


class CheckFailed(Exception):
    pass


def fail(message):
    raise CheckFailed(message)


def check(condition, message):
    if not condition:
        fail(message)


def check_eq(what, expected, actual):
    if expected != actual:
        fail(f"{what}:\n    expected: {expected!r}\n    actual:   {actual!r}")


def step(text):
    print(f"ok: {text}", flush=True)


# --- HTTP -------------------------------------------------------------------


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {name.lower(): value for name, value in headers}
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower())

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            fail(f"expected a JSON body (status {self.status}), got {self.body[:300]!r}")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def request(method, url, body=None, headers=None):
    data = None
    headers = dict(headers or {})
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    elif method in ("POST", "PUT"):
        data = b""  # the fake wants a Content-Length on every POST and PUT
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with OPENER.open(req, timeout=HTTP_TIMEOUT) as res:
            return Response(res.status, res.getheaders(), res.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers.items(), error.read())


class Fake:
    """The running binary, as its ready line describes it."""

    def __init__(self, base_url, graph_token, admin_token):
        self.base_url = base_url
        self.graph_token = graph_token
        self.admin_token = admin_token

    # The admin API, in the default namespace or under /_ns/{name}.
    def admin_url(self, path, namespace=None):
        prefix = f"/_ns/{namespace}" if namespace else ""
        return f"{self.base_url}{prefix}/_graphfake{path}"

    def admin(self, method, path, body=None, namespace=None, expect=200):
        res = request(method, self.admin_url(path, namespace), body,
                      {"Authorization": f"Bearer {self.admin_token}"})
        if res.status != expect:
            fail(f"{method} {self.admin_url(path, namespace)}: expected {expect}, got {res.status}: "
                 f"{res.body[:500]!r}")
        return res.json()

    # Graph, as a well-behaved client calls it.
    def graph(self, method, url, body=None):
        return request(method, url, body, {
            "Authorization": f"Bearer {self.graph_token}",
            "client-request-id": str(uuid.uuid4()),
        })

    def graph_url(self, path, namespace=None):
        prefix = f"/_ns/{namespace}" if namespace else ""
        return f"{self.base_url}{prefix}{path}"


def query(**params):
    return "?" + urllib.parse.urlencode(params)


# --- the client under test --------------------------------------------------


def start_export(fake, invoice_id, namespace=None):
    res = fake.graph("POST", fake.graph_url(BILLED_EXPORT, namespace),
                     {"invoiceId": invoice_id, "attributeSet": "full"})
    check_eq(f"export of {invoice_id}: status", 202, res.status)
    location = res.header("Location")
    check(location, f"export of {invoice_id}: no Location header in {res.headers}")
    check(location.startswith(fake.graph_url("/v1.0/reports/partners/billing/operations/", namespace)),
          f"export of {invoice_id}: Location {location!r} is not an operation of "
          f"{fake.graph_url('', namespace)!r}")
    return location, location.rsplit("/", 1)[1]


def poll_until_done(fake, location, namespace=None, limit=20):
    """Polls `location` exactly, advancing the clock by each Retry-After first.

    Returns (statuses seen, Retry-After values waited, the final body)."""
    statuses, waits = [], []
    retry_after = None
    for _ in range(limit):
        if retry_after is not None:
            fake.admin("POST", "/clock/advance", {"by": f"{retry_after}s"}, namespace)
            waits.append(retry_after)
        res = fake.graph("GET", location)
        check_eq(f"poll {len(statuses) + 1} of {location}: status", 200, res.status)
        body = res.json()
        statuses.append(body.get("status"))
        if body.get("status") in ("succeeded", "failed"):
            return statuses, waits, body
        header = res.header("Retry-After")
        check(header is not None and header.isdigit(),
              f"poll {len(statuses)} ({body.get('status')}): Retry-After {header!r} is not whole seconds")
        retry_after = int(header)
    fail(f"{location} was not done after {limit} polls: {statuses}")


def download_rows(fake, manifest):
    """Fetches every blob of the manifest with its SAS; returns rows per blob."""
    rows = []
    for blob in manifest["blobs"]:
        url = manifest["rootDirectory"] + "/" + blob["name"] + "?" + manifest["sasToken"]
        res = request("GET", url)  # a SAS, not the Graph token
        check_eq(f"blob {blob['name']}: status", 200, res.status)
        try:
            text = gzip.decompress(res.body).decode("utf-8")
        except (OSError, EOFError, UnicodeDecodeError) as error:
            fail(f"blob {blob['name']} does not gunzip: {error}")
        lines = [line for line in text.splitlines() if line.strip()]
        for line in lines:
            try:
                json.loads(line)
            except ValueError:
                fail(f"blob {blob['name']}: a line is not JSON: {line[:200]!r}")
        rows.append(len(lines))
    return rows


# --- the binary ---------------------------------------------------------------


def start_binary(binary, work):
    port_file = work / "graphfake.port"
    admin_token = secrets.token_hex(16)
    stderr = open(work / "stderr.txt", "wb")
    proc = subprocess.Popen(
        [binary, "--clock", "virtual", "--port", "0", "--port-file", str(port_file),
         "--admin-token", admin_token, "--report", str(work / "report.json")],
        stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL)
    stderr.close()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not (port_file.exists() and port_file.read_text().strip()):
        if proc.poll() is not None:
            fail(f"graphfake exited with {proc.returncode} before listening:\n"
                 f"{(work / 'stderr.txt').read_text()}")
        if time.monotonic() > deadline:
            fail(f"no port file {port_file} after {STARTUP_TIMEOUT} s")
        time.sleep(0.05)
    port = int(port_file.read_text().strip())

    # The ready line follows the port file; wait for it without blocking forever.
    line = b""
    while not line.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        readable, _, _ = select.select([proc.stdout], [], [], max(remaining, 0))
        if not readable:
            fail(f"no ready line on stdout after {STARTUP_TIMEOUT} s (got {line!r})")
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            fail(f"stdout closed before the ready line (got {line!r})")
        line += chunk
    check_eq("lines on stdout", 1, line.count(b"\n"))
    ready = json.loads(line)
    check_eq("ready line: event", "ready", ready.get("event"))
    check_eq("ready line: port", port, ready.get("port"))
    check_eq("ready line: base_url", f"http://127.0.0.1:{port}", ready.get("base_url"))
    check(ready.get("token"), f"ready line has no token: {ready}")
    return proc, Fake(ready["base_url"], ready["token"], admin_token)


# --- the steps ----------------------------------------------------------------


def health_and_auth(fake):
    health = fake.admin("GET", "/health")
    check_eq("health: status", "ready", health.get("status"))
    check_eq("health: now (virtual clock start)", "2025-01-01T00:00:00.000Z", health.get("now"))
    for label, headers in [("no token", {}),
                           ("wrong token", {"Authorization": f"Bearer {fake.admin_token}x"}),
                           ("the Graph token", {"Authorization": f"Bearer {fake.graph_token}"})]:
        for method, path in [("GET", "/health"), ("POST", "/reset"), ("GET", "/journal")]:
            res = request(method, fake.admin_url(path), headers=headers)
            check_eq(f"{method} {path} with {label}: status", 401, res.status)
            check_eq(f"{method} {path} with {label}: error code", "adminTokenRequired",
                     res.json().get("error", {}).get("code"))
    step("1. health is ready; admin calls without the admin token get 401")


WELL_BEHAVED = {
    "description": "admin_api_walkthrough: a short timeline driven by the clock.",
    "rules": [{
        "name": "walkthrough",
        "timeline": [
            {"status": "notStarted", "polls": 1, "retryAfter": "10s"},
            {"status": "running", "after": "30s", "retryAfter": "15s"},
            {"status": "succeeded", "rows": 7, "blobs": 2},
        ],
    }],
}


def reset_and_load(fake, name, content, namespace=None):
    reset = fake.admin("POST", "/reset", namespace=namespace)
    check_eq("reset: reset", True, reset.get("reset"))
    listing = fake.admin("PUT", "/scenarios", {"files": [{"name": name, "content": content}]}, namespace)
    check_eq("PUT /scenarios answer: file names", [name], [f.get("name") for f in listing.get("files", [])])
    listing = fake.admin("GET", "/scenarios", namespace=namespace)
    check_eq("GET /scenarios: file names", [name], [f.get("name") for f in listing.get("files", [])])
    return listing


def load_scenario(fake):
    listing = reset_and_load(fake, "walkthrough.json", WELL_BEHAVED)
    check_eq("listing: rules of walkthrough.json", 1, len(listing["files"][0].get("rules", [])))
    bad = request("PUT", fake.admin_url("/scenarios"),
                  {"files": [{"name": "bad.json", "content": {"rules": [{"timeline": [{"status": "later"}]}]}}]},
                  {"Authorization": f"Bearer {fake.admin_token}"})
    check_eq("an invalid scenario: status", 400, bad.status)
    check_eq("an invalid scenario: error code", "invalidScenario", bad.json().get("error", {}).get("code"))
    check_eq("after an invalid load: file names", ["walkthrough.json"],
             [f.get("name") for f in fake.admin("GET", "/scenarios").get("files", [])])
    step("2. reset; walkthrough.json loaded and listed (an invalid file is refused, nothing changes)")


def well_behaved_client(fake):
    location, operation_id = start_export(fake, INVOICE)
    statuses, waits, final = poll_until_done(fake, location)
    check_eq("statuses seen by the client", ["notStarted", "running", "running", "succeeded"], statuses)
    check_eq("Retry-After waited before each poll", [10, 15, 15], waits)
    check_eq("clock after the waits", "2025-01-01T00:00:40.000Z", fake.admin("GET", "/clock").get("now"))
    manifest = final.get("resourceLocation")
    check(isinstance(manifest, dict), f"succeeded operation has no inline manifest: {final}")
    check_eq("manifest blobCount", 2, manifest.get("blobCount"))
    check_eq("manifest blobs", 2, len(manifest.get("blobs", [])))
    rows = download_rows(fake, manifest)
    check_eq("rows per blob", [4, 3], rows)
    step(f"3. export {operation_id}: polls {statuses} after waiting {waits} s; "
         f"{len(rows)} blobs, {sum(rows)} rows")
    return {"location": location, "operation_id": operation_id, "statuses": statuses,
            "waits": waits, "blobs": len(rows)}


def journal_and_report(fake, run):
    journal = fake.admin("GET", "/journal" + query(operationId=run["operation_id"], endpoint="operation"))
    entries = journal.get("entries", [])
    check_eq("journal polls: count", len(run["statuses"]), journal.get("count"))
    check_eq("journal polls: operationStatus in order", run["statuses"],
             [entry.get("operationStatus") for entry in entries])
    check_eq("journal polls: HTTP statuses", [200] * len(entries), [entry.get("status") for entry in entries])
    check_eq("journal polls: dropped", 0, journal.get("dropped"))
    path = urllib.parse.urlsplit(run["location"]).path
    check_eq("journal polls: paths", [path] * len(entries), [entry.get("path") for entry in entries])
    check_eq("journal polls: invoiceId", [INVOICE] * len(entries), [entry.get("invoiceId") for entry in entries])
    check(all(any(h.get("name", "").lower() == "client-request-id" for h in entry.get("requestHeaders", []))
              for entry in entries), "a journaled poll has no client-request-id header")
    sequences = [entry.get("sequence") for entry in entries]
    check_eq("journal polls: in sequence order", sorted(sequences), sequences)

    by_invoice = fake.admin("GET", "/journal" + query(invoiceId=INVOICE, endpoint="operation"))
    check_eq("journal by invoiceId: sequences", sequences, [e.get("sequence") for e in by_invoice["entries"]])
    check_eq("journal of another invoice", 0,
             fake.admin("GET", "/journal/count" + query(invoiceId="G000000000", endpoint="operation"))["count"])
    check_eq("journal count of exports", 1, fake.admin("GET", "/journal/count" + query(endpoint="export"))["count"])
    check_eq("journal count of blob requests", run["blobs"],
             fake.admin("GET", "/journal/count" + query(endpoint="blob"))["count"])
    check_eq("journal unmatched", 0, fake.admin("GET", "/journal/unmatched")["count"])

    operation = fake.admin("GET", f"/operations/{run['operation_id']}")
    check_eq("operation: status", "succeeded", operation.get("status"))
    check_eq("operation: polls", len(run["statuses"]), operation.get("polls"))
    check_eq("operation: scenarioRule", "walkthrough.json: walkthrough", operation.get("scenarioRule"))

    report = fake.admin("GET", "/report")
    check_eq("report: clean", True, report.get("clean"))
    check_eq("report: honouredRetryAfter", True, report.get("honouredRetryAfter"))
    check_eq("report: graphRequests (export + polls)", 1 + len(run["statuses"]), report.get("graphRequests"))
    check_eq("report: requestsWithoutClientRequestId", 0, report.get("requestsWithoutClientRequestId"))
    check_eq("report: operations", [run["operation_id"]],
             [op.get("operationId") for op in report.get("operations", [])])
    behaviour = report["operations"][0]
    check_eq("report: operation polls", len(run["statuses"]), behaviour.get("polls"))
    check_eq("report: operation location", run["location"], behaviour.get("location"))
    check_eq("report: operation earlyPolls", [], behaviour.get("earlyPolls"))
    for key in ("pollsAfterSuccess", "failedOperationRetries", "pollsToOtherUrl", "ignored429s",
                "requestsWithoutClientRequestId"):
        check_eq(f"report: operation {key}", 0, behaviour.get(key))
    check_eq("report: operation honouredRetryAfter", True, behaviour.get("honouredRetryAfter"))
    check_eq("report: operation clean", True, behaviour.get("clean"))
    step(f"4. journal: {len(entries)} polls {run['statuses']}, {run['blobs']} blob requests; "
         f"report clean, Retry-After honoured")


IMPATIENT = {
    "description": "admin_api_walkthrough: early polls are throttled.",
    "rules": [{
        "name": "throttled",
        "earlyPolls": "throttle",
        "timeline": [
            {"status": "notStarted", "polls": 1, "retryAfter": "10s"},
            {"status": "running", "after": "30s", "retryAfter": "15s"},
            {"status": "succeeded", "rows": 3},
        ],
    }],
}


def impatient_client(fake):
    reset_and_load(fake, "impatient.json", IMPATIENT)
    check_eq("journal after reset", 0, fake.admin("GET", "/journal/count")["count"])
    location, operation_id = start_export(fake, INVOICE)

    first = fake.graph("GET", location)
    check_eq("first poll (nothing advertised yet): status", 200, first.status)
    check_eq("first poll: operation status", "notStarted", first.json().get("status"))
    check_eq("first poll: Retry-After", "10", first.header("Retry-After"))
    waits = []
    for n in (2, 3):
        res = fake.graph("GET", location)
        check_eq(f"early poll {n}: status", 429, res.status)
        check_eq(f"early poll {n}: error code", "TooManyRequests", res.json().get("error", {}).get("code"))
        waits.append(res.header("Retry-After"))
    check_eq("early polls: Retry-After", ["10", "20"], waits)

    # The 429s did not move it: polls found it only notStarted. (Shown at the
    # clock's time it is already running: notStarted's one poll was answered.)
    operation = fake.admin("GET", f"/operations/{operation_id}")
    check_eq("throttled operation: phases polls found", ["notStarted"],
             [phase.get("status") for phase in operation.get("history", [])])
    check_eq("throttled operation: polls", 3, operation.get("polls"))
    check_eq("clock (never advanced)", "2025-01-01T00:00:00.000Z", fake.admin("GET", "/clock").get("now"))

    polls = fake.admin("GET", "/journal" + query(operationId=operation_id, endpoint="operation"))["entries"]
    check_eq("journal: poll statuses", [200, 429, 429], [entry.get("status") for entry in polls])
    check_eq("journal: count of 429 polls", 2,
             fake.admin("GET", "/journal/count" + query(endpoint="operation", status="429"))["count"])

    report = fake.admin("GET", "/report")
    check_eq("report: honouredRetryAfter", False, report.get("honouredRetryAfter"))
    check_eq("report: clean", False, report.get("clean"))
    check_eq("report: operations", [operation_id], [op.get("operationId") for op in report.get("operations", [])])
    behaviour = report["operations"][0]
    check_eq("report: operation polls", 3, behaviour.get("polls"))
    check_eq("report: earlyPolls", [{"sequence": polls[1]["sequence"], "earlyByMs": 10000},
                                    {"sequence": polls[2]["sequence"], "earlyByMs": 10000}],
             behaviour.get("earlyPolls"))
    check_eq("report: ignored429s", 1, behaviour.get("ignored429s"))
    check_eq("report: operation honouredRetryAfter", False, behaviour.get("honouredRetryAfter"))
    check_eq("report: operation clean", False, behaviour.get("clean"))

    # Waiting out the last Retry-After is served again, and is not early.
    fake.admin("POST", "/clock/advance", {"by": f"{waits[-1]}s"})
    res = fake.graph("GET", location)
    check_eq("poll after waiting 20 s: status", 200, res.status)
    check_eq("poll after waiting 20 s: operation status", "running", res.json().get("status"))
    check_eq("poll after waiting 20 s: Retry-After", "15", res.header("Retry-After"))
    after = fake.admin("GET", "/report")["operations"][0]
    check_eq("report after waiting: polls", 4, after.get("polls"))
    check_eq("report after waiting: earlyPolls", behaviour["earlyPolls"], after.get("earlyPolls"))
    step(f"5. impatient client: polls answered 200, 429 (Retry-After {waits[0]}), 429 (Retry-After {waits[1]}); "
         f"report flags {len(behaviour['earlyPolls'])} early polls, 1 ignored 429; served again once waited")
    return report


TIMED = {
    "description": "admin_api_walkthrough: half a minute notStarted, on each namespace's own clock.",
    "rules": [{
        "name": "timed",
        "timeline": [
            {"status": "notStarted", "after": "30s", "retryAfter": "30s"},
            {"status": "succeeded", "rows": 5, "blobs": 1},
        ],
    }],
}


def namespaces(fake):
    names = ["walk-a", "walk-b"]
    invoices = {"walk-a": "G000000101", "walk-b": "G000000202"}
    for name in names:
        created = fake.admin("POST", "/namespaces", {"name": name}, expect=201)
        check_eq(f"namespace {name}: created", {"name": name, "baseUrl": f"{fake.base_url}/_ns/{name}"}, created)
    listed = [ns.get("name") for ns in fake.admin("GET", "/namespaces").get("namespaces", [])]
    check(all(name in listed for name in names), f"GET /namespaces lists {listed}, not both of {names}")
    default_journal_before = fake.admin("GET", "/journal/count")["count"]
    default_clock_before = fake.admin("GET", "/clock")["now"]

    exports = {}
    for name in names:
        reset_and_load(fake, "timed.json", TIMED, namespace=name)
        exports[name] = start_export(fake, invoices[name], namespace=name)

    a, b = names
    location_a, operation_a = exports[a]
    statuses, waits, final = poll_until_done(fake, location_a, namespace=a)
    check_eq(f"{a}: statuses seen", ["notStarted", "succeeded"], statuses)
    check_eq(f"{a}: Retry-After waited", [30], waits)
    rows = download_rows(fake, final["resourceLocation"])
    check_eq(f"{a}: rows per blob", [5], rows)

    check_eq(f"{a}: clock", "2025-01-01T00:00:30.000Z", fake.admin("GET", "/clock", namespace=a)["now"])
    check_eq(f"{b}: clock (not advanced)", "2025-01-01T00:00:00.000Z",
             fake.admin("GET", "/clock", namespace=b)["now"])
    check_eq("default clock (not advanced)", default_clock_before, fake.admin("GET", "/clock")["now"])
    operations_b = fake.admin("GET", "/operations", namespace=b).get("operations", [])
    check_eq(f"{b}: operations", [(exports[b][1], "notStarted")],
             [(op.get("id"), op.get("status")) for op in operations_b])
    operations_a = fake.admin("GET", "/operations", namespace=a).get("operations", [])
    check_eq(f"{a}: operations", [(operation_a, "succeeded")],
             [(op.get("id"), op.get("status")) for op in operations_a])

    # Each journal holds only its own requests: told apart by invoice and path.
    journal_a = fake.admin("GET", "/journal", namespace=a)["entries"]
    journal_b = fake.admin("GET", "/journal", namespace=b)["entries"]
    check_eq(f"{a}: journal endpoints", ["export", "operation", "operation", "blob"],
             [entry.get("endpoint") for entry in journal_a])
    check_eq(f"{b}: journal endpoints", ["export"], [entry.get("endpoint") for entry in journal_b])
    check_eq(f"{a}: journal invoices (Graph requests)", [invoices[a]] * 3,
             [entry.get("invoiceId") for entry in journal_a if entry.get("endpoint") != "blob"])
    check_eq(f"{b}: journal invoices", [invoices[b]], [entry.get("invoiceId") for entry in journal_b])
    for name in names:
        other = invoices[b if name == a else a]
        check_eq(f"{name}: journal entries of the other namespace's invoice", 0,
                 fake.admin("GET", "/journal/count" + query(invoiceId=other), namespace=name)["count"])
    check_eq("default journal: untouched by the namespaces", default_journal_before,
             fake.admin("GET", "/journal/count")["count"])
    report_a = fake.admin("GET", "/report", namespace=a)
    check_eq(f"{a}: report clean", True, report_a.get("clean"))
    check_eq(f"{a}: report operations", [operation_a], [op.get("operationId") for op in report_a["operations"]])

    final_reports = {}
    for name in names:
        deleted = fake.admin("DELETE", f"/namespaces/{name}")
        check_eq(f"delete {name}", name, deleted.get("deleted"))
        final_reports[name] = deleted.get("report")
    check_eq(f"delete {a}: answers with the report it had", report_a, final_reports[a])
    listed = [ns.get("name") for ns in fake.admin("GET", "/namespaces").get("namespaces", [])]
    check(not any(name in listed for name in names), f"GET /namespaces still lists {listed} after deleting")
    gone = request("GET", fake.admin_url("/clock", a), headers={"Authorization": f"Bearer {fake.admin_token}"})
    check_eq(f"{a} after delete: status", 404, gone.status)
    check_eq(f"{a} after delete: error code", "namespaceNotFound", gone.json().get("error", {}).get("code"))
    step(f"6. namespaces {a} and {b}: {a} driven to succeeded on its own clock, {b} still notStarted; "
         f"journals separate; both deleted, each answering with its final report")
    return final_reports


def stop(proc, work, last_report, deleted_reports):
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        fail("graphfake did not exit within 10 s of SIGTERM")
    stderr = (work / "stderr.txt").read_text(errors="replace")
    check_eq(f"exit status after SIGTERM (stderr:\n{stderr})", 0, code)
    path = work / "report.json"
    check(path.exists(), f"no --report file at {path}")
    document = json.loads(path.read_text())
    check_eq("report file: keys", ["default", "deletedNamespaces", "namespaces"], sorted(document))
    check_eq("report file: default (as GET /_graphfake/report last said)", last_report, document["default"])
    check_eq("report file: namespaces (all deleted)", {}, document["namespaces"])
    check_eq("report file: deleted namespaces, with the reports DELETE answered",
             [{"name": name, "report": report} for name, report in deleted_reports.items()],
             document["deletedNamespaces"])
    check(any(line.startswith("operation") for line in stderr.splitlines()),
          f"stderr has no summary table header (a line starting 'operation'):\n{stderr}")
    step("7. SIGTERM: exit 0; report file has default, namespaces and deleted ones; summary table on stderr")


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} PATH/TO/graphfake", file=sys.stderr)
        return 2
    binary = argv[1]
    proc = None
    with tempfile.TemporaryDirectory(prefix="graphfake-walkthrough-") as directory:
        work = pathlib.Path(directory)
        try:
            proc, fake = start_binary(binary, work)
            print(f"graphfake ready at {fake.base_url}", flush=True)
            health_and_auth(fake)
            load_scenario(fake)
            run = well_behaved_client(fake)
            journal_and_report(fake, run)
            impatient_client(fake)
            deleted_reports = namespaces(fake)
            last_report = fake.admin("GET", "/report")
            stop(proc, work, last_report, deleted_reports)
        except CheckFailed as error:
            print(f"FAILED: {error}", file=sys.stderr)
            stderr_file = work / "stderr.txt"
            if stderr_file.exists():
                print(f"graphfake stderr:\n{stderr_file.read_text(errors='replace')}", file=sys.stderr)
            return 1
        finally:
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
    print("admin API walk-through passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
