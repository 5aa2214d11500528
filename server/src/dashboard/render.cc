#include "dashboard/render.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/time_format.h"

namespace graphfake::dashboard {
namespace {

constexpr double kWidth = 960;
constexpr double kLeft = 16;
constexpr double kRight = 40;  // room for the last tick's label
constexpr double kHeight = 150;
constexpr double kWindowTop = 14;
constexpr double kWindowBottom = 112;
constexpr double kGraphLane = 44;     // exports and polls
constexpr double kAnswerLane = 62;    // how a fault answered them
constexpr double kDownloadLane = 92;  // manifest reads and blob downloads
constexpr double kAxis = 122;
// Marks closer than this in one lane are drawn side by side, in journal
// order, so that polls at one instant (a virtual clock not moved) stay apart.
constexpr double kMarkSpacing = 18;

// The shapes a mark is drawn with; the legend draws the same ones.
enum class Glyph {
  export_request,
  poll,
  early_poll,
  after_terminal,
  throttled,
  unavailable,
  dropped,
  refused,
  bent,
  manifest,
  blob
};

std::string glyph_svg(Glyph glyph, double x, double y) {
  switch (glyph) {
    case Glyph::export_request:
      return fmt::format(R"(<rect class="g-export" x="{:.1f}" y="{:.1f}" width="10" height="10"/>)", x - 5, y - 5);
    case Glyph::poll:
      return fmt::format(R"(<circle class="g-poll" cx="{:.1f}" cy="{:.1f}" r="5"/>)", x, y);
    case Glyph::early_poll:
      return fmt::format(R"(<path class="g-early" d="M{:.1f} {:.1f}h14l-7 12z"/>)", x - 7, y - 6);
    case Glyph::after_terminal:
      return fmt::format(R"(<path class="g-after" d="M{:.1f} {:.1f}l7 7l-7 7l-7 -7z"/>)", x, y - 7);
    case Glyph::throttled:
      return fmt::format(R"(<path class="g-throttled" d="M{0:.1f} {1:.1f}l10 10M{0:.1f} {2:.1f}l10 -10"/>)", x - 5,
                         y - 5, y + 5);
    case Glyph::unavailable:
      return fmt::format(R"(<path class="g-unavailable" d="M{:.1f} {:.1f}v12M{:.1f} {:.1f}h12"/>)", x, y - 6, x - 6, y);
    case Glyph::dropped:
      return fmt::format(R"(<g class="g-dropped"><circle cx="{0:.1f}" cy="{1:.1f}" r="5"/><path d="M{2:.1f} {3:.1f}l10 -10"/></g>)",
                         x, y, x - 5, y + 5);
    case Glyph::refused:
      return fmt::format(R"(<rect class="g-refused" x="{:.1f}" y="{:.1f}" width="8" height="8"/>)", x - 4, y - 4);
    case Glyph::bent:
      return fmt::format(R"(<path class="g-bent" d="M{:.1f} {:.1f}l3 -6l3 12l3 -12l3 6"/>)", x - 6, y);
    case Glyph::manifest:
      return fmt::format(R"(<rect class="g-manifest" x="{:.1f}" y="{:.1f}" width="6" height="16"/>)", x - 3, y - 8);
    case Glyph::blob:
      return fmt::format(R"(<rect class="g-blob" x="{:.1f}" y="{:.1f}" width="16" height="6"/>)", x - 8, y - 3);
  }
  return {};
}

std::chrono::milliseconds between(TimePoint from, TimePoint to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from);
}

// A tick step of 1, 2 or 5 times a power of ten seconds, for about eight ticks.
double tick_step_seconds(double span_seconds) {
  double step = 0.001;
  while (span_seconds / step > 8) {
    if (span_seconds / (step * 2) <= 8) return step * 2;
    if (span_seconds / (step * 5) <= 8) return step * 5;
    step *= 10;
  }
  return step;
}

std::string mark_classes(const Mark& mark) {
  std::string classes = "mark";
  switch (mark.endpoint) {
    case Endpoint::export_request:
      classes += " export";
      break;
    case Endpoint::operation:
      classes += " poll";
      break;
    case Endpoint::manifest:
      classes += " manifest";
      break;
    case Endpoint::blob:
      classes += " blob";
      break;
    default:
      classes += " other";
      break;
  }
  if (mark.early_by) classes += " early";
  if (mark.after_terminal) classes += " after-terminal";
  if (mark.answer != Answer::ok) classes += fmt::format(" {}", to_string(mark.answer));
  if (!mark.fault.empty()) classes += " bent";
  return classes;
}

std::string subject_of(const OperationInfo& operation) {
  if (!operation.invoice_id.empty()) return "invoice " + operation.invoice_id;
  return fmt::format("{} {}", operation.currency_code, operation.billing_period);
}

std::string headers_text(const HeaderPairs& headers) {
  std::string text;
  for (const auto& [name, value] : headers) text += name + ": " + value + "\n";
  return text;
}

std::string body_text(const std::string& body) {
  if (body.size() <= kMaxShownBodyBytes) return body;
  return body.substr(0, kMaxShownBodyBytes) +
         fmt::format("\n[shown up to {} bytes of {}]", kMaxShownBodyBytes, body.size());
}

std::string exchange_html(const JournalEntry& entry) {
  const auto target = entry.query.empty() ? entry.path : entry.path + "?" + entry.query;
  auto request = fmt::format("{} {}\n{}", entry.method, target, headers_text(entry.request_headers));
  // Appended in two steps: GCC 12 at -O3 reports a false -Wstringop-overflow for `"\n" + body_text(...)`.
  if (!entry.request_body.empty()) {
    request += '\n';
    request += body_text(entry.request_body);
  }
  const auto response = entry.status == 0
                            ? std::string("(no answer: the connection was closed)")
                            : fmt::format("{}\n{}{}", entry.status, headers_text(entry.response_headers),
                                          entry.fault.empty() ? "" : "\n(bytes bent by a fault: " + entry.fault + ")");
  return fmt::format(
      "<li class=\"exchange\" data-sequence=\"{}\"><p>#{} at {}</p><div class=\"pair\"><pre aria-label=\"request\">{}</pre>"
      "<pre aria-label=\"answer\">{}</pre></div></li>\n",
      entry.sequence, entry.sequence, core::rfc3339_ms(entry.at), html_escaped(request), html_escaped(response));
}

std::string operations_table(const std::vector<OperationInfo>& operations,
                             const std::map<std::string, const OperationBehaviour*>& behaviour_of,
                             const std::map<std::string, bool>& drawn) {
  std::string html =
      "<table class=\"operations\"><caption>Operations, oldest first</caption><thead><tr><th scope=\"col\">Operation"
      "</th><th scope=\"col\">Kind</th><th scope=\"col\">Invoice or currency and period</th><th scope=\"col\">"
      "Attribute set</th><th scope=\"col\">Status</th><th scope=\"col\">Scenario rule</th><th scope=\"col\">Polls"
      "</th><th scope=\"col\">Client</th></tr></thead><tbody>\n";
  for (const auto& operation : operations) {
    const auto it = behaviour_of.find(operation.id);
    const bool clean = it == behaviour_of.end() || it->second->clean();
    const auto id_cell = drawn.contains(operation.id)
                             ? fmt::format("<a href=\"#op-{0}\">{0}</a>", html_escaped(operation.id))
                             : html_escaped(operation.id);
    html += fmt::format(
        "<tr data-operation-id=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td></tr>\n",
        html_escaped(operation.id), id_cell, to_string(operation.kind), html_escaped(subject_of(operation)),
        html_escaped(operation.attribute_set), to_string(operation.status),
        operation.scenario_rule.empty() ? "default timeline" : html_escaped(operation.scenario_rule), operation.polls,
        clean ? "behaved" : "<strong>misbehaved</strong>");
  }
  return html + "</tbody></table>\n";
}

std::string namespace_summary(const ClientReport& report, std::size_t operations) {
  std::string html = fmt::format(
      "<p class=\"summary\">{} operation{}; {} Graph requests, {} without client-request-id; {} export{} sent again "
      "inside a 429's Retry-After; {} poll{} of unknown operations.",
      operations, operations == 1 ? "" : "s", report.graph_requests, report.requests_without_client_request_id,
      report.ignored_export_429s, report.ignored_export_429s == 1 ? "" : "s", report.polls_of_unknown_operations,
      report.polls_of_unknown_operations == 1 ? "" : "s");
  if (report.journal_dropped != 0) {
    html += fmt::format(" The journal dropped its {} oldest entries: they are not drawn.", report.journal_dropped);
  }
  html += report.clean() ? " <strong>The clients behaved.</strong></p>\n" : " <strong>The clients misbehaved.</strong></p>\n";
  return html;
}

std::string namespace_section(const NamespaceView& view, std::size_t index) {
  std::map<std::string, std::vector<JournalEntry>> entries_of;
  std::vector<const JournalEntry*> unattached;
  for (const auto& entry : view.journal) {
    if (entry.operation_id.empty()) {
      unattached.push_back(&entry);
    } else {
      entries_of[entry.operation_id].push_back(entry);
    }
  }
  std::map<std::string, const OperationBehaviour*> behaviour_of;
  for (const auto& behaviour : view.report.operations) behaviour_of.emplace(behaviour.operation_id, &behaviour);

  // Operations with findings first, then the others, up to the cap; drawn in their own order.
  std::vector<std::size_t> chosen;
  for (int pass = 0; pass < 2 && chosen.size() < kMaxDrawnOperations; ++pass) {
    for (std::size_t i = 0; i < view.operations.size() && chosen.size() < kMaxDrawnOperations; ++i) {
      const auto it = behaviour_of.find(view.operations[i].id);
      const bool clean = it == behaviour_of.end() || it->second->clean();
      if (clean == (pass == 1)) chosen.push_back(i);
    }
  }
  std::sort(chosen.begin(), chosen.end());
  std::map<std::string, bool> drawn;
  for (const auto i : chosen) drawn[view.operations[i].id] = true;

  const auto heading = view.name.empty() ? std::string("Operations") : "Namespace " + html_escaped(view.name);
  std::string html = fmt::format(
      "<section class=\"namespace\" aria-labelledby=\"ns-{0}\" data-namespace=\"{1}\"><h2 id=\"ns-{0}\">{2}</h2>\n",
      index, html_escaped(view.name), heading);
  html += namespace_summary(view.report, view.operations.size());
  if (view.operations.empty()) {
    html += "<p>No operations.</p>\n";
  } else {
    html += operations_table(view.operations, behaviour_of, drawn);
  }
  if (chosen.size() < view.operations.size()) {
    html += fmt::format("<p>{} of {} operations are drawn below (those the client misbehaved with first).</p>\n",
                        chosen.size(), view.operations.size());
  }
  for (const auto i : chosen) {
    const auto& operation = view.operations[i];
    const auto it = entries_of.find(operation.id);
    const auto timeline = timeline_of(operation.id, it == entries_of.end() ? std::vector<JournalEntry>{} : it->second);
    html += operation_article(operation, timeline);
    if (it != entries_of.end()) {
      html += "<details class=\"exchanges\"><summary>Exact requests and answers of " + html_escaped(operation.id) +
              "</summary><ol>\n";
      for (const auto& entry : it->second) html += exchange_html(entry);
      html += "</ol></details>\n";
    }
  }
  if (!unattached.empty()) {
    const auto first = unattached.size() > kMaxShownUnattachedRequests ? unattached.size() - kMaxShownUnattachedRequests : 0;
    html += fmt::format("<h3>Requests outside any operation ({}{})</h3><ol class=\"unattached\">\n", unattached.size(),
                        first == 0 ? "" : fmt::format(", the last {}", kMaxShownUnattachedRequests));
    for (auto i = first; i < unattached.size(); ++i) {
      const auto& entry = *unattached[i];
      html += fmt::format("<li>#{} {} {} {}: {}{}</li>\n", entry.sequence, core::rfc3339_ms(entry.at),
                          html_escaped(entry.method), html_escaped(entry.path), entry.status,
                          entry.nearest_route.empty() ? "" : " (meant " + html_escaped(entry.nearest_route) + "?)");
    }
    html += "</ol>\n";
  }
  return html + "</section>\n";
}

}  // namespace

std::string html_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        // Control characters other than tab and newline are not allowed in HTML text.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string timeline_svg(const Timeline& timeline) {
  const auto id = html_escaped(timeline.operation_id);
  const double span_ms = std::max<double>(1000.0, static_cast<double>(between(timeline.start, timeline.end).count()));
  const double usable = kWidth - kLeft - kRight;
  const auto x_of = [&](TimePoint at) {
    return kLeft + usable * static_cast<double>(between(timeline.start, at).count()) / span_ms;
  };
  std::string svg = fmt::format(
      "<svg class=\"timeline\" id=\"timeline-{0}\" data-operation-id=\"{0}\" viewBox=\"0 0 {1} {2}\" "
      "width=\"100%\" role=\"img\" aria-labelledby=\"timeline-title-{0} timeline-desc-{0}\">"
      "<title id=\"timeline-title-{0}\">Timeline of operation {0}</title>"
      "<desc id=\"timeline-desc-{0}\">{3} requests over {4}; {5} early poll{6}; the requests are listed in words "
      "after the picture.</desc>\n",
      id, kWidth, kHeight, timeline.marks.size(), offset_text(between(timeline.start, timeline.end)).substr(1),
      timeline.behaviour.early_polls.size(), timeline.behaviour.early_polls.size() == 1 ? "" : "s");
  for (const auto& window : timeline.windows) {
    const double from = x_of(window.from);
    const double width = std::max(1.0, x_of(window.until) - from);
    svg += fmt::format(
        "<rect class=\"window{}\" x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\"><title>Retry-After {} s "
        "advertised by #{}{}</title></rect>\n",
        window.from_429 ? " window-429" : "", from, kWindowTop, width, kWindowBottom - kWindowTop,
        between(window.from, window.until).count() / 1000, window.sequence, window.from_429 ? " (a 429)" : "");
  }
  const double step = tick_step_seconds(span_ms / 1000.0);
  svg += fmt::format("<path class=\"axis\" d=\"M{:.1f} {}H{:.1f}\"/>", kLeft, kAxis, kWidth - kRight);
  for (double s = 0; s * 1000.0 <= span_ms + 0.5; s += step) {
    const double x = kLeft + usable * s * 1000.0 / span_ms;
    svg += fmt::format("<path class=\"tick\" d=\"M{0:.1f} {1}v5\"/><text class=\"tick-label\" x=\"{0:.1f}\" y=\"{2}\">"
                       "+{3:g} s</text>",
                       x, kAxis, kAxis + 18, s);
  }
  svg += "\n";
  double last_graph_x = -kMarkSpacing;
  double last_download_x = -kMarkSpacing;
  for (const auto& mark : timeline.marks) {
    const bool download_lane = mark.endpoint == Endpoint::manifest || mark.endpoint == Endpoint::blob;
    double& last_x = download_lane ? last_download_x : last_graph_x;
    const double x = std::max(x_of(mark.at), last_x + kMarkSpacing);
    last_x = x;
    std::string glyphs;
    switch (mark.endpoint) {
      case Endpoint::export_request:
        glyphs = glyph_svg(Glyph::export_request, x, kGraphLane);
        break;
      case Endpoint::operation:
        glyphs = glyph_svg(mark.early_by         ? Glyph::early_poll
                           : mark.after_terminal ? Glyph::after_terminal
                                                 : Glyph::poll,
                           x, kGraphLane);
        if (mark.early_by && mark.after_terminal) glyphs += glyph_svg(Glyph::after_terminal, x, kGraphLane - 16);
        break;
      case Endpoint::manifest:
        glyphs = glyph_svg(Glyph::manifest, x, kDownloadLane);
        break;
      default:
        glyphs = glyph_svg(Glyph::blob, x, kDownloadLane);
        if (!mark.range.empty()) {
          glyphs += fmt::format("<text class=\"range\" x=\"{:.1f}\" y=\"{}\">{}</text>", x, kDownloadLane + 14,
                                html_escaped(mark.range));
        }
        break;
    }
    switch (mark.answer) {
      case Answer::throttled:
        glyphs += glyph_svg(Glyph::throttled, x, kAnswerLane);
        break;
      case Answer::unavailable:
        glyphs += glyph_svg(Glyph::unavailable, x, kAnswerLane);
        break;
      case Answer::dropped:
        glyphs += glyph_svg(Glyph::dropped, x, kAnswerLane);
        break;
      case Answer::refused:
        glyphs += glyph_svg(Glyph::refused, x, kAnswerLane);
        break;
      case Answer::ok:
        break;
    }
    if (!mark.fault.empty()) glyphs += glyph_svg(Glyph::bent, x, kAnswerLane);
    svg += fmt::format("<g class=\"{}\" data-sequence=\"{}\" data-status=\"{}\"><title>{}</title>{}</g>\n",
                       mark_classes(mark), mark.sequence, mark.status, html_escaped(mark.label), glyphs);
  }
  return svg + "</svg>";
}

std::string operation_article(const OperationInfo& operation, const Timeline& timeline) {
  const auto id = html_escaped(operation.id);
  std::string html = fmt::format(
      "<article class=\"operation\" id=\"op-{0}\" data-operation-id=\"{0}\" aria-labelledby=\"op-title-{0}\">"
      "<h3 id=\"op-title-{0}\">Operation {0}: {1}, {2}</h3>\n"
      "<dl class=\"facts\"><dt>Kind</dt><dd>{1}</dd><dt>For</dt><dd class=\"subject\">{2}</dd><dt>Attribute set</dt>"
      "<dd>{3}</dd><dt>Status</dt><dd>{4} (phase {5} of {6})</dd><dt>Scenario rule</dt><dd>{7}</dd><dt>Created</dt>"
      "<dd>{8}</dd><dt>Polls</dt><dd>{9}</dd></dl>\n<div class=\"picture\">",
      id, to_string(operation.kind), html_escaped(subject_of(operation)), html_escaped(operation.attribute_set),
      to_string(operation.status), operation.phase + 1, operation.phase_count,
      operation.scenario_rule.empty() ? "none (the default timeline)" : html_escaped(operation.scenario_rule),
      core::rfc3339_ms(operation.created_at), operation.polls);
  html += timeline_svg(timeline);
  html += "<div class=\"findings\"><h4>What the client did</h4>";
  if (timeline.findings.empty()) {
    html += "<p class=\"clean\">It waited every Retry-After and stopped polling at a terminal state.</p>";
  } else {
    html += "<ul>";
    for (const auto& finding : timeline.findings) html += "<li class=\"finding\">" + html_escaped(finding) + "</li>";
    html += "</ul>";
  }
  html += "</div></div>\n<ol class=\"marks\" aria-label=\"Requests of operation " + id + " in order\">\n";
  for (const auto& mark : timeline.marks) {
    html += fmt::format("<li class=\"{}\" data-sequence=\"{}\">{}</li>\n", mark_classes(mark), mark.sequence,
                        html_escaped(mark.label));
  }
  return html + "</ol></article>\n";
}

std::string legend_html() {
  struct Entry {
    Glyph glyph;
    const char* words;
  };
  static constexpr Entry kEntries[] = {
      {Glyph::export_request, "export request (square)"},
      {Glyph::poll, "poll after the advertised Retry-After (circle)"},
      {Glyph::early_poll, "EARLY poll: before the Retry-After elapsed (triangle pointing down)"},
      {Glyph::after_terminal, "poll AFTER a terminal state, succeeded or failed (diamond)"},
      {Glyph::throttled, "answered 429 Too Many Requests (cross, below the request)"},
      {Glyph::unavailable, "answered 5xx, a server error such as an injected 503 (plus, below the request)"},
      {Glyph::dropped, "connection dropped without an answer (slashed circle, below the request)"},
      {Glyph::refused, "answered another 4xx (small square, below the request)"},
      {Glyph::bent, "a blob whose bytes a fault bent: corrupt or truncated gzip, a reset, a lying Content-Length "
                    "(zigzag, below the request)"},
      {Glyph::manifest, "manifest read (tall bar, lower lane)"},
      {Glyph::blob, "blob download, with its Range if one was sent (wide bar, lower lane)"},
  };
  std::string html = "<section class=\"legend\" aria-labelledby=\"legend-title\"><h2 id=\"legend-title\">How to read "
                     "a timeline</h2><ul>\n";
  for (const auto& entry : kEntries) {
    html += fmt::format("<li><svg class=\"timeline\" viewBox=\"0 0 24 24\" width=\"24\" height=\"24\" aria-hidden=\"true\">"
                        "{}</svg> {}</li>\n",
                        glyph_svg(entry.glyph, 12, 12), entry.words);
  }
  html += "<li><svg class=\"timeline\" viewBox=\"0 0 24 24\" width=\"24\" height=\"24\" aria-hidden=\"true\"><rect "
          "class=\"window\" x=\"2\" y=\"4\" width=\"20\" height=\"16\"/></svg> the Retry-After window a progress "
          "answer advertised (solid outline): a poll inside it is early</li>\n"
          "<li><svg class=\"timeline\" viewBox=\"0 0 24 24\" width=\"24\" height=\"24\" aria-hidden=\"true\"><rect "
          "class=\"window window-429\" x=\"2\" y=\"4\" width=\"20\" height=\"16\"/></svg> the Retry-After window a "
          "429 advertised (dashed outline)</li>\n";
  return html + "</ul><p>Time runs left to right on the fake's clock, from the export request; requests at "
                "the same instant are drawn side by side, in order. Every mark's words are in the list under its "
                "picture.</p></section>\n";
}

std::string_view page_css() {
  return R"(body{font-family:system-ui,sans-serif;margin:1rem 2rem;color:#111;background:#fff;line-height:1.4}
h1{font-size:1.5rem}h2{font-size:1.25rem;border-bottom:1px solid #888}h3{font-size:1.05rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.9rem;max-width:100%;overflow-wrap:break-word}th,td{border:1px solid #999;padding:.2rem .5rem;text-align:left}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:0 1rem;font-size:.9rem}dl.facts dt{font-weight:bold}
dl.facts dd{margin:0}.picture{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}
.picture svg.timeline{flex:3 1 640px;max-width:960px;border:1px solid #999}.findings{flex:1 1 240px}
ol.marks{font-size:.85rem;font-family:ui-monospace,monospace}ol.marks li.early,ol.marks li.throttled{font-weight:bold}
pre{white-space:pre-wrap;word-break:break-all;background:#f4f4f4;padding:.4rem;margin:.2rem 0;font-size:.8rem}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}.legend ul{list-style:none;padding:0}
.legend li{display:flex;align-items:center;gap:.5rem}
svg.timeline .window{fill:#dde8f5;fill-opacity:.7;stroke:#4a6c96;stroke-width:1}
svg.timeline .window-429{fill:#fbe3cf;stroke:#a15400;stroke-dasharray:4 3}
svg.timeline .axis,svg.timeline .tick{stroke:#333}svg.timeline text{font-size:11px;fill:#222}
svg.timeline .range{font-size:9px;text-anchor:middle}
.g-export{fill:#222}.g-poll{fill:#fff;stroke:#222;stroke-width:2}.g-early{fill:#b00020;stroke:#000}
.g-after{fill:#6a1b9a;stroke:#000}.g-throttled{stroke:#a15400;stroke-width:3}.g-unavailable{stroke:#b00020;stroke-width:3}
.g-dropped circle{fill:none;stroke:#000;stroke-width:2}.g-dropped path{stroke:#000;stroke-width:2}
.g-refused{fill:none;stroke:#000;stroke-width:2}.g-bent{fill:none;stroke:#b00020;stroke-width:2}.g-manifest{fill:#2e7d32}.g-blob{fill:#1565c0}
@media (forced-colors:active){svg.timeline *{forced-color-adjust:auto}}
)";
}

std::string report_page(const std::vector<NamespaceView>& namespaces) {
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>graphfake: what the clients did</title>"
      "<style>{}</style></head>\n<body><header><h1>graphfake: what the clients did</h1><p>Each operation's requests "
      "against the Retry-After windows the fake advertised, on the fake's clock.</p></header>\n<main>\n",
      page_css());
  html += legend_html();
  for (std::size_t i = 0; i < namespaces.size(); ++i) html += namespace_section(namespaces[i], i);
  return html + "</main></body></html>\n";
}

}  // namespace graphfake::dashboard
