// Drives a running graphfake with Microsoft's own npm packages, end to end:
// export → 202 + Location → poll, honouring Retry-After → manifest → every
// blob through @azure/storage-blob → gunzip → JSON Lines.
//
//   Graph side: the Kiota runtime of @microsoft/msgraph-sdk (with the reports
//               builders of ./kiota-reports.mjs), and the classic
//               @microsoft/microsoft-graph-client;
//   blob side:  @azure/storage-blob with AnonymousCredential and the SAS.
//
// Started by run.sh, which sets GRAPHFAKE_HTTPS_URL, GRAPHFAKE_HTTP_URL,
// GRAPHFAKE_TOKEN and NODE_EXTRA_CA_CERTS (the fake's CA). The other tests pin
// the SDKs' constraints that docs/clients.md describes, so the document stays
// true.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { gunzipSync } from "node:zlib";

import { AnonymousCredential, BlobClient } from "@azure/storage-blob";
import { HeadersInspectionOptions } from "@microsoft/kiota-http-fetchlibrary";
import { Client, GraphError, ResponseType } from "@microsoft/microsoft-graph-client";
import { createGraphServiceClient, GraphRequestAdapter } from "@microsoft/msgraph-sdk";
import { AttributeSetObject, BillingPeriodObject } from "@microsoft/msgraph-sdk/models/partners/billing/index.js";
import { GraphAzureIdentityAuthenticationProvider } from "@microsoft/msgraph-sdk-core";

import { errorMappings } from "./kiota-reports.mjs";

const HTTPS = process.env.GRAPHFAKE_HTTPS_URL;
const HTTP = process.env.GRAPHFAKE_HTTP_URL;
const TOKEN = process.env.GRAPHFAKE_TOKEN;
if (!HTTPS || !HTTP || !TOKEN) {
  throw new Error("start this through run.sh: GRAPHFAKE_HTTPS_URL, GRAPHFAKE_HTTP_URL and GRAPHFAKE_TOKEN must be set");
}

const MAX_POLLS = 30;
const WALK_TIMEOUT_MS = 90_000;
const INVOICE = "G016907411";
const EXPORTS = [
  { kind: "reconciliation/billed", body: { invoiceId: INVOICE, attributeSet: AttributeSetObject.Full } },
  { kind: "reconciliation/unbilled", body: { currencyCode: "USD", billingPeriod: BillingPeriodObject.Current, attributeSet: AttributeSetObject.Full } },
  { kind: "usage/billed", body: { invoiceId: INVOICE, attributeSet: AttributeSetObject.Full } },
  { kind: "usage/unbilled", body: { currencyCode: "USD", billingPeriod: BillingPeriodObject.Current, attributeSet: AttributeSetObject.Full } },
];
const ODATA_TYPE = {
  notStarted: "#microsoft.graph.partners.billing.runningOperation",
  running: "#microsoft.graph.partners.billing.runningOperation",
  succeeded: "#microsoft.graph.partners.billing.exportSuccessOperation",
  failed: "#microsoft.graph.partners.billing.failedOperation",
};
const TERMINAL = new Set(["succeeded", "failed"]);

// ---------------------------------------------------------------- clients

function kiota(base, allowedHosts = new Set([new URL(base).hostname])) {
  // What @azure/identity would hand the provider; the fake accepts TOKEN.
  const credential = { getToken: async () => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const auth = new GraphAzureIdentityAuthenticationProvider(credential, ["https://graph.microsoft.com/.default"], undefined, allowedHosts);
  const adapter = new GraphRequestAdapter(auth);
  adapter.baseUrl = `${base}/v1.0`;
  return { adapter, client: createGraphServiceClient(adapter) };
}

function classic(base, customHosts = new Set([new URL(base).hostname])) {
  return Client.init({ authProvider: (done) => done(null, TOKEN), baseUrl: base, defaultVersion: "v1.0", customHosts });
}

// Kiota keeps response headers as a map of sets.
function header(headers, name) {
  const values = headers.get(name);
  return values ? [...values][0] : undefined;
}

function withRequestId(options = []) {
  return { headers: { "client-request-id": randomUUID() }, options };
}

// ---------------------------------------------------------------- walks

async function kiotaWalk({ adapter, client }, exp) {
  const billing = client.reports.partners.billing;
  const [group, state] = exp.kind.split("/");
  const inspect = new HeadersInspectionOptions({ inspectResponseHeaders: true });
  // The generated post() would try to parse the empty 202 (see the pitfall
  // test below): send the same request information without reading a body.
  const request = billing[group][state].microsoftGraphPartnersBillingExport.toPostRequestInformation(exp.body, withRequestId([inspect]));
  await adapter.sendNoResponseContent(request, errorMappings);
  const location = header(inspect.getResponseHeaders(), "location");
  assert.ok(location, "202 without a Location header");
  const operationId = new URL(location).pathname.split("/").pop();
  const operation = billing.operations.byOperationId(operationId);
  assert.equal(operation.toGetRequestInformation().URL, location, "the SDK's operation URL is not the Location it was given");

  let op;
  let polls = 0;
  for (;;) {
    assert.ok(++polls <= MAX_POLLS, `still ${op?.status} after ${MAX_POLLS} polls`);
    const seen = new HeadersInspectionOptions({ inspectResponseHeaders: true });
    op = await operation.get(withRequestId([seen]));
    assert.equal(op.odataType, ODATA_TYPE[op.status], `@odata.type for status ${op.status}`);
    assert.ok(op.createdDateTime instanceof Date && !Number.isNaN(op.createdDateTime.getTime()), "createdDateTime parses as a date");
    if (TERMINAL.has(op.status)) break;
    const retryAfter = header(seen.getResponseHeaders(), "retry-after");
    assert.match(retryAfter ?? "", /^\d+$/, "integer-seconds Retry-After on a running operation");
    await sleep(Number(retryAfter) * 1000);
  }
  assert.equal(op.status, "succeeded", `failed operation: ${JSON.stringify(op.errorEscaped)}`);

  const inline = op.resourceLocation;
  assert.ok(inline?.rootDirectory && inline.sasToken && inline.blobs?.length, "resourceLocation holds the manifest inline");
  const manifest = await billing.manifests.byManifestId(inline.id).get(withRequestId());
  assert.equal(manifest.rootDirectory, inline.rootDirectory);
  assert.deepEqual(manifest.blobs.map((b) => b.name), inline.blobs.map((b) => b.name));
  return { operationId, polls, ...(await downloadBlobs(inline, exp)) };
}

async function classicWalk(client, exp) {
  const res = await client.api(`/reports/partners/billing/${exp.kind}/export`).responseType(ResponseType.RAW).post(exp.body);
  const text = await res.text();
  assert.equal(res.status, 202, text);
  const location = res.headers.get("location");
  assert.ok(location, "202 without a Location header");

  let op;
  let polls = 0;
  for (;;) {
    assert.ok(++polls <= MAX_POLLS, `still ${op?.status} after ${MAX_POLLS} polls`);
    // An absolute https URL: the client takes host and version from it.
    const r = await client.api(location).responseType(ResponseType.RAW).get();
    assert.equal(r.url, location, "the client polled another URL than the Location");
    assert.equal(r.status, 200);
    op = await r.json();
    assert.equal(op["@odata.type"], ODATA_TYPE[op.status], `@odata.type for status ${op.status}`);
    if (TERMINAL.has(op.status)) break;
    const retryAfter = r.headers.get("retry-after");
    assert.match(retryAfter ?? "", /^\d+$/, "integer-seconds Retry-After on a running operation");
    await sleep(Number(retryAfter) * 1000);
  }
  assert.equal(op.status, "succeeded", `failed operation: ${JSON.stringify(op.error)}`);

  const inline = op.resourceLocation;
  assert.ok(inline?.rootDirectory && inline.sasToken && inline.blobs?.length, "resourceLocation holds the manifest inline");
  const link = op["resourceLocation@odata.navigationLink"];
  assert.ok(link, "resourceLocation@odata.navigationLink");
  const manifest = await client.api(link).get();
  assert.equal(manifest.rootDirectory, inline.rootDirectory);
  assert.deepEqual(manifest.blobs.map((b) => b.name), inline.blobs.map((b) => b.name));
  return { operationId: new URL(location).pathname.split("/").pop(), polls, ...(await downloadBlobs(inline, exp)) };
}

async function streamToBuffer(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

// Blob URL = rootDirectory + "/" + name + "?" + sasToken, as Microsoft's sample builds it.
async function downloadBlobs(manifest, exp) {
  const [group, state] = exp.kind.split("/");
  let rows = 0;
  for (const [index, blob] of manifest.blobs.entries()) {
    const client = new BlobClient(`${manifest.rootDirectory}/${blob.name}?${manifest.sasToken}`, new AnonymousCredential());
    // A path-style URL on an IP address: account, then container, then the blob's path.
    assert.equal(client.containerName, `${state}${group}fastpath`, "the container of this export kind");
    const properties = await client.getProperties();
    assert.equal(properties.blobType, "BlockBlob");
    const gzip = await client.downloadToBuffer(); // ranged reads sized from getProperties
    assert.equal(gzip.length, properties.contentLength);
    if (index === 0) {
      const whole = await client.download(); // one GET, streamed
      assert.ok((await streamToBuffer(whole.readableStreamBody)).equals(gzip), "download() and downloadToBuffer() disagree");
      const part = await client.download(10, 100); // x-ms-range
      assert.equal(part.contentRange, `bytes 10-109/${gzip.length}`);
      assert.ok((await streamToBuffer(part.readableStreamBody)).equals(gzip.subarray(10, 110)), "ranged download");
    }
    const lines = gunzipSync(gzip).toString("utf8").split("\n");
    assert.equal(lines.pop(), "", "a data file ends with a newline");
    for (const line of lines) assert.equal(typeof JSON.parse(line), "object");
    rows += lines.length;
  }
  return { blobs: manifest.blobs.length, rows };
}

// ---------------------------------------------------------------- the matrix

const WALKS = [
  { sdk: "kiota", scheme: "https", base: HTTPS, walk: (exp) => kiotaWalk(kiota(HTTPS), exp) },
  { sdk: "kiota", scheme: "http", base: HTTP, walk: (exp) => kiotaWalk(kiota(HTTP), exp) },
  { sdk: "classic", scheme: "https", base: HTTPS, walk: (exp) => classicWalk(classic(HTTPS), exp) },
  // The classic client sends no token over http: see "classic client over http" below.
];
const results = []; // { sdk, scheme, kind, outcome, detail, operationId, base }

for (const { sdk, scheme, base, walk } of WALKS) {
  describe(`${sdk} + storage-blob over ${scheme}`, { concurrency: true }, () => {
    for (const exp of EXPORTS) {
      it(exp.kind, { timeout: WALK_TIMEOUT_MS }, async (t) => {
        const row = { sdk, scheme, kind: exp.kind, base };
        results.push(row);
        try {
          const walked = await walk(exp);
          Object.assign(row, walked, { outcome: "pass", detail: `${walked.blobs} blobs, ${walked.rows} rows, ${walked.polls} polls` });
          t.diagnostic(row.detail);
        } catch (error) {
          Object.assign(row, { outcome: "FAIL", detail: String(error.message).split("\n")[0].slice(0, 160) });
          throw error;
        }
      });
    }
  });
}

test("every client read the same rows for the same export", () => {
  for (const exp of EXPORTS) {
    const passed = results.filter((r) => r.kind === exp.kind && r.outcome === "pass");
    const counts = new Set(passed.map((r) => r.rows));
    assert.ok(counts.size <= 1, `${exp.kind}: ${passed.map((r) => `${r.sdk}/${r.scheme}=${r.rows}`).join(", ")}`);
  }
});

test("graphfake's client report: each walk honoured Retry-After, polled its Location, stopped at succeeded and sent client-request-id", async () => {
  for (const base of [HTTPS, HTTP]) {
    const report = await (await fetch(`${base}/_graphfake/report`)).json();
    const byId = new Map(report.operations.map((o) => [o.operationId, o]));
    for (const r of results.filter((x) => x.base === base && x.operationId)) {
      const o = byId.get(r.operationId);
      const where = `${r.sdk}/${r.scheme} ${r.kind} (${r.operationId})`;
      assert.ok(o, `${where}: not in the report`);
      assert.equal(o.honouredRetryAfter, true, `${where}: early polls ${JSON.stringify(o.earlyPolls)}`);
      assert.equal(o.pollsToOtherUrl, 0, `${where}: polled another URL`);
      assert.equal(o.pollsAfterSuccess, 0, `${where}: polled after succeeded`);
      assert.equal(o.requestsWithoutClientRequestId, 0, `${where}: requests without client-request-id`);
    }
  }
});

// ---------------------------------------------------------------- constraints (docs/clients.md)

describe("kiota constraints", () => {
  const unknownOperation = "00000000-0000-4000-8000-000000000000";

  it("GraphAzureIdentityAuthenticationProvider's default allowed hosts (graph.microsoft.com, …) send no token to the fake", async () => {
    const { client } = kiota(HTTPS, new Set()); // empty: the provider fills in its Graph hosts
    await assert.rejects(client.reports.partners.billing.operations.byOperationId(unknownOperation).get(), (e) => {
      assert.equal(e.responseStatusCode, 401);
      assert.equal(e.errorEscaped?.code, "InvalidAuthenticationToken");
      return true;
    });
  });

  it("a bearer token goes over http only to localhost, 127.0.0.1 or ::1", async () => {
    // Nothing listens there: the provider refuses before connecting.
    const { client } = kiota("http://127.0.0.2:9");
    await assert.rejects(client.reports.partners.billing.operations.byOperationId(unknownOperation).get(), /Authentication scheme can only be used with https requests/);
  });

  it("the generated post() cannot read the empty 202; its Location is in HeadersInspectionOptions", async () => {
    const { client } = kiota(HTTPS);
    const inspect = new HeadersInspectionOptions({ inspectResponseHeaders: true });
    await assert.rejects(
      client.reports.partners.billing.reconciliation.billed.microsoftGraphPartnersBillingExport.post(EXPORTS[0].body, withRequestId([inspect])),
      /no response content type found for deserialization/,
    );
    assert.match(header(inspect.getResponseHeaders(), "location") ?? "", /\/v1\.0\/reports\/partners\/billing\/operations\/[0-9a-f-]{36}$/);
  });

  it("Graph error bodies parse as ODataError", async () => {
    const { adapter, client } = kiota(HTTPS);
    const requestId = randomUUID();
    const request = client.reports.partners.billing.reconciliation.billed.microsoftGraphPartnersBillingExport.toPostRequestInformation(
      { attributeSet: AttributeSetObject.Full }, { headers: { "client-request-id": requestId } });
    await assert.rejects(adapter.sendNoResponseContent(request, errorMappings), (e) => {
      assert.equal(e.responseStatusCode, 400);
      assert.equal(e.errorEscaped?.code, "BadRequest");
      assert.match(e.message, /invoiceId/);
      assert.equal(e.errorEscaped?.innerError?.clientRequestId, requestId);
      return true;
    });
    await assert.rejects(client.reports.partners.billing.operations.byOperationId(unknownOperation).get(), (e) => {
      assert.equal(e.responseStatusCode, 404);
      assert.equal(e.errorEscaped?.code, "itemNotFound");
      return true;
    });
  });
});

describe("classic client constraints", () => {
  const path = "/reports/partners/billing/operations/00000000-0000-4000-8000-000000000000";

  it("over http it sends no Authorization, whatever customHosts says", async () => {
    const res = await classic(HTTP).api(path).responseType(ResponseType.RAW).get();
    assert.equal(res.status, 401);
  });

  it("customHosts holds host names without the port", async () => {
    const withPort = await classic(HTTPS, new Set([new URL(HTTPS).host])).api(path).responseType(ResponseType.RAW).get();
    assert.equal(withPort.status, 401, "host:port in customHosts should not match");
    const hostOnly = await classic(HTTPS).api(path).responseType(ResponseType.RAW).get();
    assert.equal(hostOnly.status, 404);
  });

  it("an absolute http:// URL is taken as a path under baseUrl", async () => {
    const res = await classic(HTTP).api(`${HTTP}/v1.0${path}`).responseType(ResponseType.RAW).get();
    assert.equal(res.url, `${HTTP}/v1.0/${HTTP}/v1.0${path}`);
  });

  it("Graph error bodies become GraphError", async () => {
    await assert.rejects(classic(HTTPS).api("/reports/partners/billing/reconciliation/billed/export").post({ attributeSet: "full" }), (e) => {
      assert.ok(e instanceof GraphError);
      assert.equal(e.statusCode, 400);
      assert.equal(e.code, "BadRequest");
      assert.match(e.requestId ?? "", /^[0-9a-f-]{36}$/);
      return true;
    });
  });
});

describe("storage-blob constraints", () => {
  it("a SAS the fake did not sign is a RestError 403 AuthenticationFailed", async () => {
    const client = classic(HTTPS);
    const res = await client.api("/reports/partners/billing/reconciliation/billed/export").responseType(ResponseType.RAW).post(EXPORTS[0].body);
    assert.equal(res.status, 202);
    let op;
    do {
      const r = await client.api(res.headers.get("location")).responseType(ResponseType.RAW).get();
      op = await r.json();
      if (!TERMINAL.has(op.status)) await sleep(Number(r.headers.get("retry-after")) * 1000);
    } while (!TERMINAL.has(op.status));
    const m = op.resourceLocation;
    const forged = m.sasToken.replace(/sig=[^&]+/, "sig=AAAA");
    const blob = new BlobClient(`${m.rootDirectory}/${m.blobs[0].name}?${forged}`, new AnonymousCredential());
    // HEAD (getProperties, the first step of downloadToBuffer): no body, the code is in x-ms-error-code.
    await assert.rejects(blob.downloadToBuffer(), (e) => {
      assert.equal(e.statusCode, 403);
      assert.equal(e.details?.errorCode, "AuthenticationFailed");
      return true;
    });
    // GET: Azure's XML error body.
    await assert.rejects(blob.download(), (e) => {
      assert.equal(e.statusCode, 403);
      assert.equal(e.code, "AuthenticationFailed");
      return true;
    });
  });
});

after(() => {
  const lines = ["", "npm clients × export kinds (graphfake):"];
  for (const { sdk, scheme } of WALKS) {
    for (const exp of EXPORTS) {
      const r = results.find((x) => x.sdk === sdk && x.scheme === scheme && x.kind === exp.kind);
      lines.push(`  ${`${sdk}/${scheme}`.padEnd(14)} ${exp.kind.padEnd(24)} ${(r?.outcome ?? "not run").padEnd(7)} ${r?.detail ?? ""}`);
    }
  }
  console.log(lines.join("\n"));
});
