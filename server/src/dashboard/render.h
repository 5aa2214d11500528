#pragma once

// The timeline picture and the report page, drawn once for both the
// dashboard (GET /_graphfake/ui fetches the fragments) and the
// self-contained HTML report (--report-html, Admin::report_html()).
// Inline SVG and CSS only: the report needs no script to be read, and
// marks differ in shape as well as colour.
#include <cstddef>
#include <string>
#include <vector>

#include "dashboard/timeline.h"
#include "graphfake/journal.h"
#include "graphfake/operations.h"
#include "graphfake/report.h"

namespace graphfake::dashboard {

// Past this many operations a namespace's report draws the ones with
// findings first, then the others in order, up to this many; the rest are
// listed in the summary table only.
inline constexpr std::size_t kMaxDrawnOperations = 200;
// A journaled body is shown up to this many bytes in the exact exchanges.
inline constexpr std::size_t kMaxShownBodyBytes = 4096;
// Requests outside any operation (unmatched paths, unknown operations,
// refused exports) listed in a report, the latest ones.
inline constexpr std::size_t kMaxShownUnattachedRequests = 200;

// What one namespace's report is drawn from.
struct NamespaceView {
  std::string name;  // empty: the report covers one fake, unnamed
  std::vector<OperationInfo> operations;
  std::vector<JournalEntry> journal;  // every entry kept, in sequence order
  ClientReport report;
};

std::string html_escaped(std::string_view text);

// The timeline of one operation as an <svg> element naming its id.
std::string timeline_svg(const Timeline& timeline);
// One operation: what it is, its picture, its findings in words and its
// requests, exact, in <details>. The dashboard's fragment route answers this.
std::string operation_article(const OperationInfo& operation, const Timeline& timeline);
// The whole page, self-contained: no script, no external reference.
std::string report_page(const std::vector<NamespaceView>& namespaces);
// What the marks and windows mean, drawn with the same shapes.
std::string legend_html();
// The stylesheet both pages use.
std::string_view page_css();

}  // namespace graphfake::dashboard
