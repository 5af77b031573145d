#include "pulley/report/assessment_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pulley/core/error.hpp"
#include "pulley/core/version.hpp"
#include "pulley/core/words.hpp"
#include "pulley/io/results_json.hpp"
#include "pulley/io/subject_yaml.hpp"
#include "pulley/model/muscle_names.hpp"
#include "svg.hpp"
#include "training_section.hpp"

namespace pulley::report {

namespace {

using assess::Deviation;
using model::MeasuredTest;
using model::Side;

std::string esc(std::string_view s) { return escape_html(s); }

std::string_view side_word(std::optional<Side> side) {
  return side ? model::side_name(*side) : "both";
}

const char* kStyle = R"(
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:0;color:#1a202c;background:#fff;font-size:14px;line-height:1.45}
main{max-width:1180px;margin:0 auto;padding:16px 24px 40px}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:2px solid #e2e8f0;padding-bottom:4px}
h3{font-size:15px;margin:16px 0 6px}
.disclaimer{background:#fffbea;border:1px solid #f6e05e;border-left:6px solid #d69e2e;padding:10px 14px;margin:12px 0;font-weight:bold}
.meta{color:#4a5568;font-size:13px}
.plain li{margin:4px 0}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid #e2e8f0;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f7fafc}td.num{text-align:right;font-variant-numeric:tabular-nums}
.low{color:#c53030;font-weight:bold}.high{color:#b7791f;font-weight:bold}.ok{color:#2f855a}
.figrow{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}
.gauges{display:flex;flex-wrap:wrap;gap:8px}
svg text{font-family:"DejaVu Sans",Arial,sans-serif}
.svg-title{font-size:13px;font-weight:bold;fill:#2d3748}.caption{font-size:12px;fill:#2d3748}
.small{font-size:11px;fill:#2d3748}.tiny{font-size:9px;fill:#4a5568}
.panel{fill:#fbfdff;stroke:#e2e8f0}.ground{stroke:#a0aec0;stroke-width:2}
.bone{fill:none;stroke:#2d3748;stroke-width:5;stroke-linecap:round;stroke-linejoin:round}
.bone.far{stroke:#a0aec0;stroke-width:4}.bone.head{fill:#edf2f7}
.muscle{fill:none;stroke-width:2.2;stroke-linecap:round;opacity:.9}
.norm{fill:#c6f6d5}.bar-a{fill:#2b6cb0}.bar-b{fill:#63b3ed}
.measured{fill:#d69e2e;stroke:#744210;stroke-width:1}
.typical{stroke:#1a202c;stroke-width:2;stroke-dasharray:4 3}
.axis{stroke:#a0aec0}.limit{stroke:#c53030;stroke-width:2;stroke-dasharray:6 3}.limit-text{fill:#c53030}
.zone{fill:none;stroke-width:16}.needle{stroke:#1a202c;stroke-width:3}.needle-hub{fill:#1a202c}
.gauge-value{font-size:16px;font-weight:bold;fill:#1a202c}
.chain{border:1px solid #e2e8f0;border-radius:6px;padding:8px 12px;margin:10px 0}
.chain ol{margin:4px 0 4px 18px;padding:0}.chain li{margin:4px 0}
.evidence{color:#4a5568;font-size:12px}
.verdict{font-weight:bold}
pre{background:#f7fafc;border:1px solid #e2e8f0;padding:8px;font-size:12px;white-space:pre-wrap}
.normbar-row{display:flex;gap:10px;align-items:center;margin:2px 0}
.normbar-label{width:300px;font-size:13px}
.legend span{display:inline-block;margin-right:14px;font-size:12px}
.swatch{display:inline-block;width:12px;height:12px;vertical-align:middle;margin-right:4px}
td.best{font-weight:bold;background:#f0fff4}
.caution{background:#fff5f5;border:1px solid #feb2b2;border-left:6px solid #c53030;padding:8px 14px;margin:10px 0;font-weight:bold}
)";

std::string deviation_cell(Deviation d, const char* low_word, const char* high_word) {
  switch (d) {
    case Deviation::low: return fmt::format("<span class=\"low\">{}</span>", low_word);
    case Deviation::high: return fmt::format("<span class=\"high\">{}</span>", high_word);
    case Deviation::typical: return "<span class=\"ok\">typical</span>";
    case Deviation::not_compared: return "";
  }
  return "";
}

std::string norm_text(const assess::TestComparison& t, int decimals) {
  std::string range;
  if (std::isfinite(t.norm_low) && std::isfinite(t.norm_high))
    range = fmt::format("{}-{}", format_number(t.norm_low, decimals),
                        format_number(t.norm_high, decimals));
  else if (std::isfinite(t.norm_low))
    range = fmt::format("&ge; {}", format_number(t.norm_low, decimals));
  else if (std::isfinite(t.norm_high))
    range = fmt::format("&le; {}", format_number(t.norm_high, decimals));
  else if (std::isfinite(t.norm_reference))
    range = fmt::format("mean {}", format_number(t.norm_reference, decimals));
  return range;
}

// The subject's simulated value of `t` as the report shows it: "not testable" with its mark where
// no person could be tested so (the JSON keeps the model's value), else the value.
std::string subject_value(const assess::TestComparison& t, int decimals) {
  return t.subject_beyond_passive_range() ? std::string("not testable") + kBeyondRangeMark
                                          : format_number(t.subject, decimals);
}
// As subject_value, with the marks of a value at the test's start or beyond healthy people.
std::string subject_cell(const assess::TestComparison& t, int decimals) {
  if (t.subject_beyond_passive_range()) return subject_value(t, decimals);
  return format_number(t.subject, decimals) + test_value_mark(false, t.subject_at_start()) +
         (t.subject_beyond_healthy_spread() ? kBeyondHealthyMark : "");
}

// The note under a table or the bars that used kBeyondRangeMark.
std::string beyond_range_note() {
  return fmt::format(
      "<p class=\"evidence\">{} Not testable: {}. The JSON keeps the model's value "
      "there.</p>",
      kBeyondRangeSign, esc(assess::kBeyondPassiveRangeNote));
}

// Beside a norm the model's own typical subject misses (TestComparison::typical_outside_norm).
constexpr const char* kTypicalOutsideNorm =
    "the model's typical subject lies outside this norm: read the simulated value against the "
    "typical subject (docs/validation.md, Clinical tests)";

// --- Figures ------------------------------------------------------------------------------------

const tasks::FrameResult* deepest(const tasks::TaskResult& bend) {
  const tasks::FrameResult* d = nullptr;
  for (const auto& f : bend.frames)
    if (!d || f.thorax_rotation_deg > d->thorax_rotation_deg) d = &f;
  return d;
}

std::vector<double> force_fractions(const model::Model& m, const Eigen::VectorXd& force_n) {
  std::vector<double> v(static_cast<std::size_t>(m.num_units()), 0.0);
  for (int u = 0; u < m.num_units() && u < force_n.size(); ++u)
    v[static_cast<std::size_t>(u)] = force_n[u] / m.units[static_cast<std::size_t>(u)].params.F_M_max;
  return v;
}

std::string skeleton_figures(const AssessmentReportInput& in) {
  const auto& f = *in.findings;
  std::string out;
  // The loads' model and standing: the subject's, or the calibrated subject with the factors held
  // to the norms back at their priors (assess::Findings::loads_model).
  const model::Model& subject = f.loads_model ? *f.loads_model : *in.subject;
  // Standing: muscle force over maximum isometric force.
  const auto& st = f.loads_model ? f.bend.standing : in.subject_tests->standing;
  const auto& tt = in.typical_tests->standing;
  if (st.q.size() == subject.num_coordinates() && tt.q.size() == in.typical->num_coordinates()) {
    const PoseDrawing a = draw_pose(subject, st.q, force_fractions(subject, st.force_n));
    const PoseDrawing b = draw_pose(*in.typical, tt.q, force_fractions(*in.typical, tt.force_n));
    // chosen: 0-20 % of maximum, so that standing's low forces still show their differences.
    ColourScale scale{0.0, 0.2, false, "muscle force, % of its maximum isometric force", 100.0};
    out += poses_svg({&a, &b},
                     {fmt::format("this subject: pelvic tilt {:.1f} deg, lordosis {:.1f} deg",
                                  f.loads.pelvic_tilt_deg, f.loads.lumbar_lordosis_deg),
                      fmt::format("typical: pelvic tilt {:.1f} deg, lordosis {:.1f} deg",
                                  f.typical_loads.pelvic_tilt_deg,
                                  f.typical_loads.lumbar_lordosis_deg)},
                     scale, "Quiet standing (right side; muscles coloured by force)");
  }
  // Toe-touch: musculotendon length change from standing.
  const auto* da = deepest(f.bend);
  const auto* db = deepest(f.typical_bend);
  if (da && db && st.q.size() && tt.q.size()) {
    const auto stretch = [](const model::Model& m, const Eigen::VectorXd& q0,
                            const Eigen::VectorXd& q1) {
      const auto l0 = unit_lengths(m, q0), l1 = unit_lengths(m, q1);
      std::vector<double> v(l0.size());
      for (std::size_t u = 0; u < l0.size(); ++u) v[u] = l1[u] / l0[u] - 1.0;
      return v;
    };
    const PoseDrawing a = draw_pose(subject, da->q, stretch(subject, st.q, da->q));
    const PoseDrawing b = draw_pose(*in.typical, db->q, stretch(*in.typical, tt.q, db->q));
    // chosen: +-20 %, about twice the hamstrings' stretch at the bottom of a toe-touch.
    ColourScale scale{-0.2, 0.2, true, "muscle length change from standing, % (blue shorter, red longer)",
                      100.0};
    out += poses_svg({&a, &b},
                     {fmt::format("this subject: pelvis {:.0f} deg, lumbar flexion {:.0f} deg",
                                  f.loads.bend_peak_pelvis_rotation_deg,
                                  f.loads.bend_peak_lumbar_flexion_deg),
                      fmt::format("typical: pelvis {:.0f} deg, lumbar flexion {:.0f} deg",
                                  f.typical_loads.bend_peak_pelvis_rotation_deg,
                                  f.typical_loads.bend_peak_lumbar_flexion_deg)},
                     scale, "Toe-touch, deepest point (muscles coloured by stretch)");
  }
  return out;
}

std::string gauges(const assess::Findings& f) {
  std::string out = "<div class=\"gauges\">";
  // Hamstring strain index relative to typical. chosen zones: below 1.2 (the findings' chain
  // threshold) green, to 2 (twice typical) amber, beyond red.
  {
    Gauge g;
    g.title = "hamstring strain index (x typical)";
    g.value = f.strain.relative;
    g.low = 0.0;
    g.high = 4.0;
    g.bounds = {1.2, 2.0};
    g.colours = {"#9ae6b4", "#f6e05e", "#fc8181"};
    g.typical = 1.0;
    g.decimals = 1;
    g.note = f.strain.computed ? f.strain.activity + ", relative index" : "not computed";
    out += gauge_svg(g);
  }
  std::size_t worst = 0;
  for (std::size_t k = 1; k < 5; ++k)
    if (f.loads.lumbar[k].bend_peak_compression_n > f.loads.lumbar[worst].bend_peak_compression_n)
      worst = k;
  {
    Gauge g;
    g.title = "peak disc compression, toe-touch";
    g.value = f.loads.lumbar[worst].bend_peak_compression_n;
    g.high = 6400.0;
    g.bounds = {3400.0};  // NIOSH action limit (Waters et al. 1993)
    g.colours = {"#9ae6b4", "#fc8181"};
    g.typical = f.typical_loads.lumbar[worst].bend_peak_compression_n;
    g.unit = "N";
    g.note = words(f.loads.lumbar[worst].level) + "; NIOSH limit 3400 N";
    out += gauge_svg(g);
  }
  {
    double shear = 0.0, typical = 0.0;
    for (std::size_t k = 0; k < 5; ++k) {
      shear = std::max(shear, f.loads.lumbar[k].bend_peak_shear_n);
      typical = std::max(typical, f.typical_loads.lumbar[k].bend_peak_shear_n);
    }
    Gauge g;
    g.title = "peak disc shear, toe-touch";
    g.value = shear;
    g.high = 1600.0;
    g.bounds = {1000.0};  // shear limit (Gallagher & Marras 2012)
    g.colours = {"#9ae6b4", "#fc8181"};
    g.typical = typical;
    g.unit = "N";
    g.note = "any level; limit 1000 N";
    out += gauge_svg(g);
  }
  // The Nordic's risk zone: its published threshold (findings, Opar et al. 2015), which the
  // findings give only for the protocol it was measured by (norm_applies).
  const auto* nordic_norm = f.find(MeasuredTest::nordic_force_n, Side::right);
  const bool nordic_zone = nordic_norm && std::isfinite(nordic_norm->norm_low);
  for (const Side side : model::kSides) {
    const auto* t = f.find(MeasuredTest::nordic_force_n, side);
    if (!t) continue;
    Gauge g;
    g.title = fmt::format("Nordic force, {} leg", side_word(side));
    g.value = t->measured ? *t->measured : t->subject;
    g.high = 600.0;
    g.typical = t->typical;
    g.unit = "N";
    g.note = t->measured ? "measured" : "simulated";
    if (nordic_zone) {
      g.bounds = {nordic_norm->norm_low};
      g.colours = {"#fc8181", "#9ae6b4"};
      g.note += fmt::format("; risk below {:g} N", nordic_norm->norm_low);
    } else {
      g.colours = {"#e2e8f0"};
      g.note += "; lowered as the protocol says, no published threshold";
    }
    out += gauge_svg(g);
  }
  out += fmt::format(
      "</div><p class=\"evidence\">Needle: this subject. Dashed tick: the typical subject "
      "(same size, typical muscles). Zones: NIOSH action limit 3400 N (Waters et al. 1993); shear "
      "1000 N (Gallagher &amp; Marras 2012); {}strain index zones chosen (1.2: where the findings "
      "start a chain; 2: twice typical). The strain index is relative, not a probability of "
      "injury.</p>",
      nordic_zone ? "Nordic force " + esc(nordic_norm->norm_source) + "; " : std::string());
  return out;
}

// Which protocol settings the subject file set (the defaults elsewhere), for the Protocols line.
std::string protocol_source(const assess::ClinicalTestSettings& used,
                            const model::TestProtocol& given) {
  const std::string set = assess::protocol_set_by_subject(used, given);
  return set.empty() ? "Every setting is the default."
                     : "Set by the subject file: " + esc(set) + "; the defaults elsewhere.";
}

std::string test_bars(const assess::Findings& f) {
  std::string out;
  bool beyond_range = false;
  for (int k = 0; k < model::kNumMeasuredTests; ++k) {
    const auto test = static_cast<MeasuredTest>(k);
    NormBar row;
    row.label = assess::test_label(test);
    row.unit = assess::test_unit(test);
    row.decimals = assess::test_decimals(test);
    const assess::TestComparison* first = nullptr;
    for (const auto& t : f.tests) {
      if (t.test != test) continue;
      if (!first) first = &t;
      const std::string name(t.side ? side_word(t.side) : "subject");
      // No bar where no person could be tested so (NaN keeps the side's place and colour).
      row.bars.push_back({name, t.subject_beyond_passive_range() ? assess::kNaN : t.subject});
      if (t.measured) row.measured.push_back({name, *t.measured});
      beyond_range |= t.subject_beyond_passive_range();
    }
    if (!first) continue;
    row.typical = first->typical;
    row.norm_low = first->norm_low;
    row.norm_high = first->norm_high;
    std::string values;
    for (const auto& t : f.tests)
      if (t.test == test)
        values += fmt::format(
            "{}{}: {}{}", values.empty() ? "" : "; ", t.side ? side_word(t.side) : "this subject",
            subject_value(t, row.decimals),
            t.measured ? fmt::format(" (measured {})", format_number(*t.measured, row.decimals))
                       : "");
    out += fmt::format(
        "<div class=\"normbar-row\"><div class=\"normbar-label\"><b>{}</b><br><span "
        "class=\"evidence\">{} &middot; typical {} &middot; norm {}{}</span></div>{}</div>",
        esc(row.label), values, format_number(first->typical, row.decimals),
        first->norm_source.empty() && !std::isfinite(first->norm_reference)
            ? std::string("none published here")
            : norm_text(*first, row.decimals),
        first->typical_outside_norm() ? ": " + esc(kTypicalOutsideNorm) : std::string(),
        norm_bar_svg(row));
  }
  out += "<p class=\"legend\"><span><i class=\"swatch\" style=\"background:#2b6cb0\"></i>right "
         "(simulated)</span><span><i class=\"swatch\" style=\"background:#63b3ed\"></i>left "
         "(simulated)</span><span><i class=\"swatch\" style=\"background:#d69e2e\"></i>measured "
         "(diamond)</span><span><i class=\"swatch\" style=\"background:#c6f6d5\"></i>published "
         "norm</span><span>dashed line: typical subject (simulated)</span></p>";
  if (beyond_range) out += beyond_range_note();
  return out;
}

std::string lumbar_chart(const assess::Findings& f) {
  GroupedBars c;
  c.title = "Lumbar disc compression by level";
  c.series = {"standing, this subject", "standing, typical", "toe-touch peak, this subject",
              "toe-touch peak, typical"};
  c.colours = {"#63b3ed", "#cbd5e0", "#2b6cb0", "#718096"};
  for (std::size_t k = 0; k < 5; ++k) {
    c.labels.push_back(words(f.loads.lumbar[k].level));
    c.values.push_back({f.loads.lumbar[k].standing_compression_n,
                        f.typical_loads.lumbar[k].standing_compression_n,
                        f.loads.lumbar[k].bend_peak_compression_n,
                        f.typical_loads.lumbar[k].bend_peak_compression_n});
  }
  c.limit = 3400.0;  // NIOSH (Waters et al. 1993)
  c.limit_label = "NIOSH 3400 N";
  c.unit = "N";
  return grouped_bars_svg(c);
}

// --- Tables -------------------------------------------------------------------------------------

std::string tests_table(const assess::Findings& f) {
  std::string out =
      "<table><tr><th>test</th><th>side</th><th>this subject (simulated)</th><th>typical "
      "(simulated)</th><th>against typical</th><th>measured</th><th>against norm</th><th>published "
      "norm</th></tr>";
  for (const auto& t : f.tests) {
    const int d = assess::test_decimals(t.test);
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td>"
        "<td class=\"num\">{}</td><td>{}</td><td>{} <span class=\"evidence\">{}{}</span></td></tr>",
        esc(assess::test_label(t.test)), side_word(t.side), subject_cell(t, d),
        format_number(t.typical, d),
        // A value no person's test could give is not compared either.
        t.subject_beyond_passive_range()
            ? std::string()
            : deviation_cell(t.simulated_vs_typical, "lower", "higher"),
        t.measured ? format_number(*t.measured, d) : "",
        deviation_cell(t.measured_vs_norm, "below", "above"), norm_text(t, d), esc(t.norm_source),
        // Said in full beside the bars above.
        t.typical_outside_norm() ? esc("; the model's typical subject lies outside it")
                                 : std::string());
  }
  out += "</table>";
  const auto any_test = [&f](auto marked) {
    return std::any_of(f.tests.begin(), f.tests.end(), marked);
  };
  if (any_test([](const auto& t) { return t.subject_beyond_passive_range(); }))
    out += beyond_range_note();
  if (any_test([](const auto& t) { return t.subject_at_start(); }))
    out += fmt::format("<p class=\"evidence\">{} Ended at the start: {}.</p>", kAtStartSign,
                       esc(assess::kAtStartNote));
  if (any_test([](const auto& t) {
        return !t.subject_beyond_passive_range() && t.subject_beyond_healthy_spread();
      }))
    out += fmt::format(
        "<p class=\"evidence\">{} Beyond healthy people: more than {:g} standard deviations of "
        "healthy people (each named under \"In plain words\") from the typical subject's value. "
        "The model was built and checked on people within that range, so there it "
        "extrapolates.</p>",
        kBeyondHealthySign, assess::kHealthySpreadSds);
  return out;
}

// The concentric (isokinetic) test's protocol under the tests' table, which holds its values:
// the range each leg was moved over and where each direction peaked, the subject's and the
// typical subject's.
std::string concentric_protocol(const assess::ClinicalTestResults& subject,
                                const assess::ClinicalTestResults& typical) {
  if (!subject.settings.isokinetic_test || !subject.ok || !typical.ok) return "";
  const auto sides = [](const std::array<double, 2>& deg) {
    return fmt::format("{} / {}", format_number(deg[0], 0), format_number(deg[1], 0));
  };
  // Young men's knee flexion is strongest at 29.9 +- 18.2 deg of knee flexion (Anderson,
  // Madigan & Nussbaum 2007, J Biomech 40:3105; docs/validation.md, Clinical tests). Where the
  // typical subject's flexors peak beyond two spreads of that, the report says so.
  constexpr double kPeopleFlexionPeakDeg = 29.9, kPeopleFlexionPeakSdDeg = 18.2;
  const double typical_peak = typical.concentric_flexion_peak_knee_deg[0];
  const bool caveat = typical_peak > kPeopleFlexionPeakDeg + 2.0 * kPeopleFlexionPeakSdDeg;
  const auto peak_caveat = [&](const char* the) {
    return fmt::format(
        "{} model's flexors peak with the knee well bent ({} deg in the typical subject), where "
        "young men's peak nearer extension (about 30 deg, Anderson et al. 2007; "
        "docs/validation.md, Clinical tests)",
        the, format_number(typical_peak, 0));
  };
  // People's ratio is set beside the model's only for the speed it was published for.
  std::string people;
  if (assess::norm_applies(model::MeasuredTest::conventional_hq_ratio, subject.settings))
    people = " People's conventional ratio is about 0.6 (Coombs &amp; Garbutt 2002)" +
             (caveat ? "; " + peak_caveat("the") : std::string()) + ".";
  else if (caveat)
    people = " " + peak_caveat("The") + ".";
  return fmt::format(
      "<p class=\"evidence\">Concentric tests at {:g} deg/s (right / left): seated as the "
      "isometric tests, the knee moved between 90 deg of flexion and where it stops extending "
      "passively, {} deg (the passive knee extension deficit; typical {}); flexion peaked at {} "
      "deg of knee flexion (typical {}), extension at {} deg (typical {}).{}</p>",
      subject.settings.isokinetic_speed_deg_s, sides(subject.concentric_extended_end_deg),
      sides(typical.concentric_extended_end_deg), sides(subject.concentric_flexion_peak_knee_deg),
      sides(typical.concentric_flexion_peak_knee_deg),
      sides(subject.concentric_extension_peak_knee_deg),
      sides(typical.concentric_extension_peak_knee_deg), people);
}

std::string imbalance_table(const assess::Findings& f) {
  std::string out =
      "<table><tr><th>group</th><th>side</th><th>strength</th><th>length</th><th>stiffness</th>"
      "<th>capacity</th><th>fascicle length</th><th>reading</th><th>shown by</th></tr>";
  for (const auto& p : f.imbalance) {
    std::string shown;
    for (const auto t : p.shown_by) shown += (shown.empty() ? "" : ", ") + std::string(assess::test_label(t));
    const auto cell = [](double v, Deviation d) {
      return fmt::format("<td class=\"num{}\">{:.2f}</td>",
                         d == Deviation::typical ? "" : d == Deviation::low ? " low" : " high", v);
    };
    out += fmt::format("<tr><td>{}</td><td>{}</td>{}{}{}{}{}<td>{}</td><td class=\"evidence\">{}</td></tr>",
                       esc(words(p.group)), side_word(p.side), cell(p.strength, p.strength_vs_norm),
                       cell(p.length, p.length_vs_norm), cell(p.stiffness, p.stiffness_vs_norm),
                       cell(p.capacity, p.reduced_capacity ? Deviation::low : Deviation::typical),
                       cell(p.fascicle_length, p.fascicle_length_vs_norm), esc(p.summary), esc(shown));
  }
  out += "</table><p class=\"evidence\">Factors of the population default (1 = typical), as the "
         "subject file sets them (or the calibration fits them); the mean over the group's "
         "muscles. Read as different from typical beyond: strength and fascicle length 10 %, length "
         "2 %, stiffness 20 % (chosen; docs/assessment.md gives why).</p>";
  return out;
}

std::string loads_table(const assess::Findings& f) {
  const auto& s = f.loads;
  const auto& t = f.typical_loads;
  std::string out =
      "<table><tr><th>level</th><th>standing compression (N)</th><th>shear (N)</th><th>pressure "
      "(MPa)</th><th>posterior share</th><th>toe-touch peak compression (N)</th><th>peak shear "
      "(N)</th><th>peak pressure (MPa)</th><th>peak ligament tension (N)</th></tr>";
  for (std::size_t k = 0; k < 5; ++k) {
    const auto& a = s.lumbar[k];
    const auto& b = t.lumbar[k];
    out += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{:.0f} <span class=\"evidence\">({:.0f})</span></td>"
        "<td class=\"num\">{:.0f} <span class=\"evidence\">({:.0f})</span></td><td "
        "class=\"num\">{:.2f} <span class=\"evidence\">({:.2f})</span></td><td class=\"num\">{:.0f} "
        "% <span class=\"evidence\">({:.0f} %)</span></td><td class=\"num\">{:.0f} <span "
        "class=\"evidence\">({:.0f})</span></td><td class=\"num\">{:.0f} <span "
        "class=\"evidence\">({:.0f})</span></td><td class=\"num\">{:.2f} <span "
        "class=\"evidence\">({:.2f})</span></td><td class=\"num\">{:.0f} <span "
        "class=\"evidence\">({:.0f})</span></td></tr>",
        words(a.level), a.standing_compression_n, b.standing_compression_n, a.standing_shear_n,
        b.standing_shear_n, a.standing_pressure_mpa, b.standing_pressure_mpa,
        100.0 * a.standing_posterior_share, 100.0 * b.standing_posterior_share,
        a.bend_peak_compression_n, b.bend_peak_compression_n, a.bend_peak_shear_n,
        b.bend_peak_shear_n, a.bend_peak_pressure_mpa, b.bend_peak_pressure_mpa,
        a.bend_peak_ligament_tension_n, b.bend_peak_ligament_tension_n);
  }
  out += "</table>";
  out += fmt::format(
      "<table><tr><th></th><th>this subject</th><th>typical</th><th>reference</th></tr>"
      "<tr><td>standing pelvic tilt (deg)</td><td class=\"num\">{:.1f}</td><td class=\"num\">{:.1f}"
      "</td><td>12 +- 4 (PMC4303780)</td></tr>"
      "<tr><td>standing lumbar lordosis L1-S1 (deg)</td><td class=\"num\">{:.1f}</td><td "
      "class=\"num\">{:.1f}</td><td>about pelvic incidence + 9</td></tr>"
      "<tr><td>toe-touch: peak pelvis rotation (deg)</td><td class=\"num\">{:.1f}</td><td "
      "class=\"num\">{:.1f}</td><td>53 (Tafazzol et al. 2014)</td></tr>"
      "<tr><td>toe-touch: peak lumbar flexion (deg)</td><td class=\"num\">{:.1f}</td><td "
      "class=\"num\">{:.1f}</td><td>60 (Tafazzol et al. 2014)</td></tr>"
      "<tr><td>toe-touch: peak hip flexion (deg)</td><td class=\"num\">{:.1f}</td><td "
      "class=\"num\">{:.1f}</td><td></td></tr>"
      "<tr><td>knee compression, standing (x body weight)</td><td class=\"num\">{:.2f}</td><td "
      "class=\"num\">{:.2f}</td><td>1.07 in two-leg stance (Kutzner et al. 2010)</td></tr>"
      "<tr><td>knee compression, toe-touch peak (x body weight)</td><td class=\"num\">{:.2f}</td>"
      "<td class=\"num\">{:.2f}</td><td></td></tr>"
      "<tr><td>anterior tibial shear, standing / toe-touch peak (N)</td><td class=\"num\">{:.0f} / "
      "{:.0f}</td><td class=\"num\">{:.0f} / {:.0f}</td><td>+ = tibia pushed forward</td></tr>"
      "<tr><td>toe-touch frames needing reserve moments</td><td class=\"num\">{} of {}</td><td "
      "class=\"num\">{} of {}</td><td>docs/validation.md</td></tr></table>",
      s.pelvic_tilt_deg, t.pelvic_tilt_deg, s.lumbar_lordosis_deg, t.lumbar_lordosis_deg,
      s.bend_peak_pelvis_rotation_deg, t.bend_peak_pelvis_rotation_deg,
      s.bend_peak_lumbar_flexion_deg, t.bend_peak_lumbar_flexion_deg, s.bend_peak_hip_flexion_deg,
      t.bend_peak_hip_flexion_deg, s.standing_knee_compression_bw, t.standing_knee_compression_bw,
      s.bend_knee_peak_compression_bw, t.bend_knee_peak_compression_bw,
      s.standing_knee_anterior_shear_n, s.bend_knee_peak_anterior_shear_n,
      t.standing_knee_anterior_shear_n, t.bend_knee_peak_anterior_shear_n, s.bend_reserve_frames,
      s.bend_frames, t.bend_reserve_frames, t.bend_frames);
  return out;
}

std::string strain_table(const assess::Findings& f) {
  if (!f.strain.computed) return "<p>The run could not be simulated; no strain index.</p>";
  std::string out = fmt::format(
      "<p>Hamstring strain index in a {} ({}); right leg. The index is the stride's peak of force "
      "over available force times fibre strain beyond optimal length while the head lengthens "
      "(docs/fatigue.md).</p><table><tr><th>head</th><th>strain index</th><th>at % of the "
      "stride</th><th>relative to typical</th></tr>",
      esc(f.strain.activity), esc(f.strain.why_this_activity));
  for (const auto& h : f.strain.heads)
    out += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{:.4f}</td><td class=\"num\">{:.0f}</td>"
        "<td class=\"num\">{}</td></tr>",
        esc(muscle_words(h.head)), h.strain_index, h.cycle_pct,
        h.relative ? format_number(*h.relative, 2) : "n/a");
  return out + "</table>";
}

// An output's key as the JSON gives it, in words: a test's label and side
// ("tests.nordic_force_n.right", "straight_leg_raise_deg.left": "Nordic hamstring force, right"),
// else where it is found and what ("forward_bend.lumbar.L5_S1.peak_compression_n": "toe-touch:
// peak compression at L5-S1", "strain.semimembranosus.strain_index": "run: strain index of the
// semimembranosus").
std::string quantity_words(std::string_view key) {
  std::vector<std::string> parts;
  for (std::size_t at = 0; at <= key.size();) {
    const std::size_t dot = std::min(key.find('.', at), key.size());
    parts.emplace_back(key.substr(at, dot - at));
    at = dot + 1;
  }
  if (parts.size() > 1 && parts.front() == "tests") parts.erase(parts.begin());
  if (const auto test = model::measured_test_from(parts.front()))
    return assess::test_label(*test) + (parts.size() > 1 ? ", " + words(parts[1]) : "");
  if (parts.size() < 2) return words(key);
  // A group's factor on a side: "imbalance.hamstrings.right.length" -> "hamstrings, right: length".
  if (parts.front() == "imbalance" && parts.size() == 4)
    return fmt::format("{}, {}: {}", words(parts[1]), parts[2], words(parts[3]));
  const std::string where = parts.front() == "forward_bend" ? "toe-touch"
                            : parts.front() == "strain"     ? "run"
                                                            : words(parts.front());
  std::string what = parts.back();
  for (const char* unit : {"_deg", "_n", "_mpa", "_pct"})
    if (what.ends_with(unit)) what.resize(what.size() - std::string_view(unit).size());
  what = words(what);
  for (std::size_t i = 1; i + 1 < parts.size(); ++i) {
    if (model::group_of(parts[i]))
      what += " of the " + muscle_words(parts[i]);
    else if (parts[i] != "lumbar") {
      std::string level = parts[i];
      std::replace(level.begin(), level.end(), '_', '-');
      what += " at " + level;
    }
  }
  return where + ": " + what;
}

std::string chains_html(const assess::Findings& f) {
  if (f.chains.empty())
    return "<p>No chain: the subject's standing posture, bending rhythm, strain index and knee "
           "balance are all within the thresholds of the typical subject's.</p>";
  std::string out;
  for (const auto& c : f.chains) {
    out += fmt::format("<div class=\"chain\"><b>{}</b><ol>", esc(c.title));
    for (std::size_t i = 0; i < c.links.size(); ++i) {
      const auto& l = c.links[i];
      const std::string unit = esc(l.unit);
      out += fmt::format(
          "<li>{}{} <b>{} {}</b> (typical {} {})<br><span class=\"evidence\">{} &middot; "
          "evidence: {}</span></li>",
          i ? "&rarr; " : "", esc(l.statement), io::readable_number(l.value), unit,
          io::readable_number(l.typical), unit, esc(quantity_words(l.quantity)), esc(l.evidence));
    }
    out += fmt::format("</ol><span class=\"evidence\">Limits: {}</span></div>", esc(c.caveat));
  }
  return out;
}

std::string signs_html(const assess::Findings& f) {
  if (f.signs.empty()) return "<p>The subject file notes no signs.</p>";
  std::string out;
  for (const auto& a : f.signs) {
    std::string name = words(std::string(model::to_string(a.sign.kind)));
    if (a.sign.side) name += fmt::format(" ({})", side_word(a.sign.side));
    out += fmt::format("<div class=\"chain\"><b>{}</b> &middot; <span class=\"verdict\">{}</span>"
                       "<p>{}</p><ul>",
                       esc(name), esc(words(assess::to_string(a.verdict))), esc(a.conclusion));
    for (const auto& e : a.evidence)
      out += fmt::format("<li>{} <span class=\"evidence\">({}{})</span></li>", esc(e.statement),
                         e.supports ? "supports" : "contradicts",
                         e.measured ? ", measured" : ", model");
    if (a.evidence.empty()) out += "<li>no result bears on it</li>";
    out += "</ul></div>";
  }
  return out;
}

const char* calibration_status_words(assess::CalibrationStatus s) {
  switch (s) {
    case assess::CalibrationStatus::no_measurements: return "no measurements: the subject as given";
    case assess::CalibrationStatus::fitted: return "fitted to the measurements";
    case assess::CalibrationStatus::not_converged:
      return "stopped at its iteration limit: the best fit found";
    case assess::CalibrationStatus::failed: return "failed: the subject as given";
  }
  return "";
}

std::string calibration_html(const AssessmentReportInput& in) {
  const auto& subject = in.subject->subject;
  std::string out;
  if (!in.calibration) {
    if (subject.measurements.empty())
      return "<p>No measurements were given, so nothing was fitted: every figure above is the "
             "model of the subject file as written.</p>";
    out += "<p>Measurements were given but not fitted: the table shows them against the "
           "simulation of the subject file as written.</p><table><tr><th>test</th><th>side</th>"
           "<th>measured</th><th>simulated</th><th>typical (simulated)</th></tr>";
    bool beyond_range = false;
    for (const auto& m : subject.measurements) {
      const auto* t = in.findings->find(m.test, model::is_sided(m.test) ? m.side : std::nullopt);
      const int d = assess::test_decimals(m.test);
      out += fmt::format(
          "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}"
          "</td><td class=\"num\">{}</td></tr>",
          esc(assess::test_label(m.test)), side_word(m.side), format_number(m.value, d),
          t ? subject_value(*t, d) : "", t ? format_number(t->typical, d) : "");
      beyond_range |= t && t->subject_beyond_passive_range();
    }
    out += "</table>";
    return beyond_range ? out + beyond_range_note() : out;
  }
  const auto& c = *in.calibration;
  if (c.status == assess::CalibrationStatus::no_measurements)
    return "<p>No measurements were given, so nothing was fitted: every figure above is the "
           "model of the subject file as written.</p>";
  out += fmt::format("<p><b>{}</b>. {} ({} iterations; cost {:.3g} &rarr; {:.3g}).</p>",
                     calibration_status_words(c.status), esc(c.message), c.iterations,
                     c.initial_cost, c.final_cost);
  if (!c.residuals.empty()) {
    out += "<h3>Measured against simulated</h3><table><tr><th>test</th><th>side</th><th>measured"
           "</th><th>simulated before fitting</th><th>simulated after</th><th>measurement sd</th>"
           "<th>z</th></tr>";
    for (const auto& r : c.residuals) {
      const int d = assess::test_decimals(r.measurement.test);
      const double z = r.sd > 0.0 ? r.normalized() : std::nan("");
      out += fmt::format(
          "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
          "class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num{}\">{}</td></tr>",
          esc(assess::test_label(r.measurement.test)), side_word(r.measurement.side),
          format_number(r.measurement.value, d), format_number(r.simulated_prior, d),
          format_number(r.simulated, d), format_number(r.sd, d),
          std::isfinite(z) && std::abs(z) > 2.0 ? " low" : "", format_number(z, 1));
    }
    out += "</table>";
  }
  if (!c.parameters.empty()) {
    out +=
        "<h3>Parameters</h3><table><tr><th>group</th><th>factor</th><th>side</th><th>prior "
        "(subject file, else population)</th><th>fitted</th><th>determined by the "
        "measurements</th></tr>";
    for (const auto& p : c.parameters)
      out += fmt::format(
          "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{:.3g} &plusmn; {:.2g}</td><td "
          "class=\"num\">{:.3g} &plusmn; {:.2g}</td><td>{}</td></tr>",
          esc(p.group.empty() ? "whole body" : words(p.group)), esc(assess::factor_words(p.factor)),
          side_word(p.side), p.prior, p.prior_sd, p.value, p.sd,
          p.determined ? "yes" : "no: the prior dominates");
    out += "</table>";
  }
  if (!c.outputs.empty()) {
    out += "<h3>Key outputs with their uncertainty</h3><table><tr><th>output</th><th>value "
           "&plusmn; sd</th></tr>";
    for (const auto& o : c.outputs)
      out += fmt::format("<tr><td>{}</td><td class=\"num\">{:.3g} &plusmn; {:.2g}</td></tr>",
                         esc(quantity_words(o.output)), o.value, o.sd);
    out += "</table>";
  }
  if (!c.conflicts.empty()) {
    out += "<h3>Conflicts</h3><ul>";
    for (const auto& s : c.conflicts) out += "<li>" + esc(s) + "</li>";
    out += "</ul>";
  }
  return out;
}

std::string subject_html(const model::Subject& s) {
  std::string out = fmt::format(
      "<table><tr><th>name</th><td>{}</td></tr><tr><th>sex</th><td>{}</td></tr><tr><th>age</th>"
      "<td>{:g} years</td></tr><tr><th>height</th><td>{:.2f} m</td></tr><tr><th>mass</th><td>{:.1f}"
      " kg</td></tr><tr><th>pelvic incidence</th><td>{:.1f} deg</td></tr></table>",
      esc(s.name), s.sex == model::Sex::male ? "male" : "female", s.age_years, s.height_m,
      s.mass_kg, s.pelvic_incidence_deg);
  if (!s.measurements.empty()) {
    out += "<h3>Measurements</h3><table><tr><th>test</th><th>side</th><th>value</th></tr>";
    for (const auto& x : s.measurements)
      out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                         esc(assess::test_label(x.test)), side_word(x.side),
                         format_number(x.value, assess::test_decimals(x.test)));
    out += "</table>";
  }
  if (!s.signs.empty()) {
    out += "<h3>Signs</h3><ul>";
    for (const auto& x : s.signs)
      out += fmt::format("<li>{}{}</li>", esc(words(std::string(model::to_string(x.kind)))),
                         x.side ? fmt::format(" ({})", side_word(x.side)) : "");
    out += "</ul>";
  }
  out += "<h3>Subject file, as read</h3><pre>" + esc(io::subject_to_yaml(s)) + "</pre>";
  return out;
}

}  // namespace

std::string assessment_report_html(const AssessmentReportInput& in) {
  if (!in.subject || !in.typical || !in.subject_tests || !in.typical_tests || !in.findings)
    throw InputError("assessment report: the subject's and the typical subject's models, test "
                     "results and the findings are all required");
  const auto& f = *in.findings;
  const auto& s = in.subject->subject;
  const model::Subject& file = in.subject_file ? *in.subject_file : s;
  std::string h;
  h.reserve(200000);
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  h += "<title>Pulley assessment: " + esc(s.name) + "</title><style>" + kStyle + "</style></head>"
       "<body><main>";
  h += "<h1>Pulley assessment: " + esc(s.name) + "</h1>";
  h += fmt::format("<p class=\"meta\">{}, {:.2f} m, {:.1f} kg, age {:g}, pelvic incidence {:.0f} "
                   "deg &middot; pulley {} &middot; compared with a typical subject of the same "
                   "size and sex whose muscles are all at the population default</p>",
                   s.sex == model::Sex::male ? "male" : "female", s.height_m, s.mass_kg,
                   s.age_years, s.pelvic_incidence_deg, esc(version()));
  const std::string disclaimer =
      "Pulley is a simulation and education tool. Everything in this report is a model estimate "
      "(unless marked as measured), not a measurement or a diagnosis. For pain, or before acting "
      "on any of it, see a qualified clinician.";
  h += "<div class=\"disclaimer\" id=\"disclaimer\">" + esc(disclaimer) + "</div>";
  if (!f.ok) {
    h += "<h2>The assessment could not be completed</h2><p>" + esc(f.message) + "</p>";
  } else {
    h += "<h2>In plain words</h2><ul class=\"plain\">";
    for (const auto& line : f.summary) h += "<li>" + esc(line) + "</li>";
    h += "</ul>";
    h += "<h2>Posture and the toe-touch</h2><p>Simulated skeleton, right side in front (left leg "
         "grey). Left: this subject; right: the typical subject. In standing the muscles are "
         "coloured by the force they carry; at the bottom of the toe-touch, by how much they are "
         "stretched from standing.</p><div class=\"figrow\">" +
         skeleton_figures(in) + "</div>";
    h += "<h2>Risk gauges</h2>" + gauges(f);
    h += "<h2>Tests against the typical subject and published norms</h2>" + test_bars(f);
    h += "<h2>Lumbar load by level</h2><div class=\"figrow\">" + lumbar_chart(f) + "</div>";
    h += "<h2>What connects them</h2><p>Each chain links a cause to its effects; every link gives "
         "the model output behind it (this subject, and the typical subject in brackets) and its "
         "evidence.</p>" +
         chains_html(f);
    if (in.training) h += training_section_html(*in.training);
    h += "<h2>Signs weighed</h2>" + signs_html(f);
    h += "<h2>Imbalance profile</h2>" + imbalance_table(f);
    h += "<h2>Measurements and calibration</h2>" + calibration_html(in);
    h += "<h2>For the clinician: figures</h2><h3>Clinical tests</h3>" + tests_table(f) +
         concentric_protocol(*in.subject_tests, *in.typical_tests);
    h += "<h3>Posture, rhythm and loads (typical subject in brackets)</h3>" + loads_table(f);
    h += "<h3>Hamstring strain</h3>" + strain_table(f);
    const assess::ClinicalTestSettings& used = in.subject_tests->settings;
    h += fmt::format(
        "<p class=\"evidence\">Protocols: docs/assessment.md. Stretch tolerance: hip {:.3g} N m, "
        "knee {:.3g} N m. Strength tests with the trunk upright, the hip at {:g} deg, the "
        "isometric "
        "ones at {:g} deg of knee flexion, the concentric ones at {:g} deg/s; Nordic lowered at "
        "{:g} deg/s; trunk "
        "hold stopped at {:g} s. {} Forward bend: {} frames to 121 deg of thorax rotation, "
        "reserve moments on. Standing and bending are quasi-static; the model is sagittal "
        "(docs/model.md).</p>",
        in.subject_tests->stretch_tolerance_hip_nm, in.subject_tests->stretch_tolerance_knee_nm,
        used.isometric_hip_flexion_deg, used.isometric_knee_flexion_deg,
        used.isokinetic_speed_deg_s, used.nordic_lowering_speed_deg_s, used.trunk_endurance_limit_s,
        protocol_source(used, file.protocol), f.settings.bend_frames);
  }
  h += "<h2>Subject data</h2>" + subject_html(file);
  h += "<div class=\"disclaimer\">" + esc(disclaimer) + "</div>";
  h += "</main></body></html>\n";
  return h;
}

std::string assessment_report_html(const assess::Assessment& a,
                                   const assess::CalibrationResult* calibration,
                                   const TrainingReport* training) {
  AssessmentReportInput in;
  in.subject = &a.model;
  in.subject_file = &a.subject_file;
  in.typical = &a.typical;
  in.subject_tests = &a.tests;
  in.typical_tests = &a.typical_tests;
  in.findings = &a.findings;
  in.calibration = calibration;
  in.training = training;
  return assessment_report_html(in);
}

}  // namespace pulley::report
