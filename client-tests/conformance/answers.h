#pragma once

// What a target answered to the open questions about the real service (Q1–Q17
// in docs/conformance.md), and how to make the fake give the same answer. Run
// against the real service, this is the drift report: the graphfake flags that
// make the fake speak as it does.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/target.h"

namespace graphfake::conformance {

struct Answer {
  std::string question;  // "Q3 dataFormat"
  std::string answer;    // "compressedJSON"
  // What makes the fake answer the same: empty when it does by default,
  // "--data-format compressedJSONLines", or a scenario setting.
  std::string how_the_fake_gives_it;
  // False when nothing in the fake gives this answer: the fake must learn it.
  bool fake_can_give_it = true;
};

// Answers read off one full-attribute-set reconciliation export run
// (succeeded, manifest read) and the first blob's gzip bytes. `pascal_case_request_status` is
// what a POST of Microsoft's sample body ({"InvoiceId":…,"AttributeSet":
// "Full"}) was answered with, when it was tried.
std::vector<Answer> answers_of(const ExportRun& run, std::string_view first_blob_gzip,
                               std::optional<int> pascal_case_request_status);

// The flags of every answer the fake gives only when told, space-separated.
std::string graphfake_flags_for(const std::vector<Answer>& answers);

}  // namespace graphfake::conformance
