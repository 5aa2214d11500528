// The Kiota request builders for /reports/partners/billing, registered on the
// real @microsoft/msgraph-sdk GraphServiceClient.
//
// Microsoft generates these in microsoftgraph/msgraph-sdk-typescript as the
// package @microsoft/msgraph-sdk-reports, but that package is not published on
// npm (nor @microsoft/msgraph-beta-sdk-reports): `npm view` answers 404. So
// this file does what that package's index does: it describes the same paths
// with the same Kiota metadata (URL templates, the `send` adapter method, the
// Operation / Manifest factories and the ODataError mapping of the published
// models package) and hands them to extendGraphServiceClient. Everything that
// runs a request (GraphRequestAdapter, its middleware, the authentication
// provider, JSON parsing, the @odata.type discriminator) is the published code.
//
// After `import "./kiota-reports.mjs"`:
//   createGraphServiceClient(adapter).reports.partners.billing
//     .reconciliation.billed.microsoftGraphPartnersBillingExport.post(body)
//     .operations.byOperationId(id).get()
//     .manifests.byManifestId(id).get()
import { extendGraphServiceClient } from "@microsoft/msgraph-sdk";
import { createODataErrorFromDiscriminatorValue } from "@microsoft/msgraph-sdk/models/oDataErrors/index.js";
import {
  createManifestFromDiscriminatorValue,
  createOperationFromDiscriminatorValue,
} from "@microsoft/msgraph-sdk/models/partners/billing/index.js";

export const errorMappings = { XXX: createODataErrorFromDiscriminatorValue };

// Request bodies, serialised as the generated ExportPostRequestBody types do.
function serializeBilledExportBody(writer, body = {}) {
  if (!body) return;
  writer.writeEnumValue("attributeSet", body.attributeSet);
  writer.writeStringValue("invoiceId", body.invoiceId);
  writer.writeAdditionalData(body.additionalData);
}

function serializeUnbilledExportBody(writer, body = {}) {
  if (!body) return;
  writer.writeEnumValue("attributeSet", body.attributeSet);
  writer.writeEnumValue("billingPeriod", body.billingPeriod);
  writer.writeStringValue("currencyCode", body.currencyCode);
  writer.writeAdditionalData(body.additionalData);
}

// The generated TypeScript builders use the namespace-qualified action
// segment (…/export is the same action, and graphfake routes both).
function exportBuilder(path, serializer) {
  return {
    requestsMetadata: {
      post: {
        uriTemplate: `{+baseurl}/reports/partners/billing/${path}/microsoft.graph.partners.billing.export`,
        responseBodyContentType: "application/json",
        errorMappings,
        adapterMethodName: "send",
        responseBodyFactory: createOperationFromDiscriminatorValue,
        requestBodyContentType: "application/json",
        requestBodySerializer: serializer,
        requestInformationContentSetMethod: "setContentFromParsable",
      },
    },
  };
}

function itemGet(collection, parameter, factory) {
  return {
    pathParametersMappings: [parameter],
    requestsMetadata: {
      get: {
        uriTemplate: `{+baseurl}/reports/partners/billing/${collection}/{${parameter}}{?%24expand,%24select}`,
        responseBodyContentType: "application/json",
        errorMappings,
        adapterMethodName: "send",
        responseBodyFactory: factory,
        queryParametersMapper: { expand: "%24expand", select: "%24select" },
      },
    },
  };
}

const billing = {
  reconciliation: {
    navigationMetadata: {
      billed: { navigationMetadata: { microsoftGraphPartnersBillingExport: exportBuilder("reconciliation/billed", serializeBilledExportBody) } },
      unbilled: { navigationMetadata: { microsoftGraphPartnersBillingExport: exportBuilder("reconciliation/unbilled", serializeUnbilledExportBody) } },
    },
  },
  usage: {
    navigationMetadata: {
      billed: { navigationMetadata: { microsoftGraphPartnersBillingExport: exportBuilder("usage/billed", serializeBilledExportBody) } },
      unbilled: { navigationMetadata: { microsoftGraphPartnersBillingExport: exportBuilder("usage/unbilled", serializeUnbilledExportBody) } },
    },
  },
  operations: {
    navigationMetadata: { byOperationId: itemGet("operations", "operation%2Did", createOperationFromDiscriminatorValue) },
  },
  manifests: {
    navigationMetadata: { byManifestId: itemGet("manifests", "manifest%2Did", createManifestFromDiscriminatorValue) },
  },
};

extendGraphServiceClient({
  reports: { navigationMetadata: { partners: { navigationMetadata: { billing: { navigationMetadata: billing } } } } },
});
