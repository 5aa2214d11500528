// The HTML report read through the Admin interface, so that a LocalAdmin
// and an HttpAdmin draw the same page.
#include "dashboard/render.h"
#include "graphfake/admin.h"

namespace graphfake {

std::string report_html(const std::vector<std::pair<std::string, const Admin*>>& namespaces) {
  std::vector<dashboard::NamespaceView> views;
  for (const auto& [name, admin] : namespaces) {
    dashboard::NamespaceView view;
    view.name = name;
    view.operations = admin->operations();
    view.journal = admin->journal();
    view.report = admin->client_report();
    views.push_back(std::move(view));
  }
  return dashboard::report_page(views);
}

std::string LocalAdmin::report_html() const { return graphfake::report_html({{std::string(), this}}); }

}  // namespace graphfake
