#include <string>

#include "dashboard/render.h"
#include "dashboard/ui_page.h"

namespace graphfake::dashboard {
namespace {

std::string replaced(std::string text, std::string_view marker, std::string_view with) {
  const auto at = text.find(marker);
  if (at != std::string::npos) text.replace(at, marker.size(), with);
  return text;
}

}  // namespace

const std::string& ui_page() {
  static const std::string page =
      replaced(replaced(std::string(ui_template()), "/*graphfake:css*/", page_css()), "<!--graphfake:legend-->",
               legend_html());
  return page;
}

}  // namespace graphfake::dashboard
