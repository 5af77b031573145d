// Figures the report tests draw, shared by the layout tests (svg_test.cpp) and the tests that
// render them in headless Chromium (report_render_test.cpp).
#pragma once

#include <string>
#include <vector>

#include "../../../src/report/svg.hpp"

namespace pulley::report::testing {

// The assessment report's lumbar load chart: four series (standing and the toe-touch's peak, the
// subject and the typical subject) over the five levels, with the NIOSH limit.
inline GroupedBars lumbar_chart_sample() {
  GroupedBars c;
  c.title = "Lumbar disc compression by level";
  c.series = {"standing, this subject", "standing, typical", "toe-touch peak, this subject",
              "toe-touch peak, typical"};
  c.colours = {"#63b3ed", "#cbd5e0", "#2b6cb0", "#718096"};
  for (const char* level : {"L1 L2", "L2 L3", "L3 L4", "L4 L5", "L5 S1"}) {
    c.labels.push_back(level);
    c.values.push_back({873.0, 873.0, 4084.0, 3100.0});
  }
  c.limit = 3400.0;
  c.limit_label = "NIOSH 3400 N";
  c.unit = "N";
  return c;
}

// The lines a plan's trend chart names: the plan and three alternatives, on two sides.
inline std::vector<std::string> plan_line_names() {
  return {"plan, right", "plan, left", "Only strengthening, right",
          "Only release and stretching, right", "Everything from the first week, right"};
}

}  // namespace pulley::report::testing
