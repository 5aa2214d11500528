#pragma once

#include <string>
#include <string_view>

namespace graphfake::dashboard {

// dashboard/ui.html as written, built into the library (generated from it by CMake).
std::string_view ui_template();
// The dashboard page GET /_graphfake/ui answers: ui.html with the report's
// stylesheet and legend put in, so both pages draw and explain alike. Its
// script polls the admin API; nothing is loaded from elsewhere.
const std::string& ui_page();

}  // namespace graphfake::dashboard
