#include "svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

#include "pulley/geometry/path.hpp"
#include "pulley/model/data.hpp"
#include "pulley/skeleton/planar_tree.hpp"

namespace pulley::report {

using Eigen::Vector2d;

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string format_number(double v, int decimals) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : std::string("n/a");
}

double text_width(std::string_view text, double font_px, bool bold) {
  // The advance widths of ' ' to '~' in DejaVu Sans and DejaVu Sans Bold 2.37 (Debian's
  // fonts-dejavu-core, the fonts' hmtx tables), in units of 1/2048 em.
  static constexpr std::array<short, 95> kBook = {
      651,  821,  942,  1716, 1303, 1946, 1597, 563,  799,  799,  1024, 1716, 651,  739,
      651,  690,  1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690,  690,
      1716, 1716, 1716, 1087, 2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604,
      604,  1343, 1141, 1767, 1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025,
      1403, 1251, 1403, 799,  690,  799,  1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260,
      721,  1300, 1298, 569,  569,  1186, 569,  1995, 1298, 1253, 1300, 1300, 842,  1067,
      803,  1298, 1212, 1675, 1212, 1212, 1075, 1303, 690,  1303, 1716};
  static constexpr std::array<short, 95> kBold = {
      713,  934,  1067, 1716, 1425, 2052, 1786, 627,  936,  936,  1071, 1716, 778,  850,
      778,  748,  1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 819,  819,
      1716, 1716, 1716, 1188, 2048, 1585, 1561, 1503, 1700, 1399, 1399, 1681, 1714, 762,
      762,  1587, 1305, 2038, 1714, 1741, 1501, 1741, 1577, 1475, 1397, 1663, 1585, 2259,
      1579, 1483, 1485, 936,  748,  936,  1716, 1024, 1024, 1382, 1466, 1214, 1466, 1389,
      891,  1466, 1458, 702,  702,  1362, 702,  2134, 1458, 1407, 1466, 1466, 1010, 1219,
      979,  1458, 1335, 1892, 1321, 1335, 1192, 1458, 748,  1458, 1716};
  const auto& advance = bold ? kBold : kBook;
  double units = 0.0;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 32 && byte <= 126) units += advance[byte - 32];
    // chosen: a character beyond ASCII (its UTF-8 lead byte) as 1 em, about the widest letters
    // (M, W); its continuation bytes take no width.
    else if (byte >= 0xC0)
      units += 2048.0;
  }
  return units / 2048.0 * font_px;
}

std::vector<std::string> wrap_text(std::string_view text, double width, double font_px) {
  std::vector<std::string> lines;
  std::string line;
  const auto fits = [&](const std::string& s) { return text_width(s, font_px) <= width; };
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t space = std::min(text.find(' ', at), text.size());
    std::string word(text.substr(at, space - at));
    at = space + 1;
    if (fits(line.empty() ? word : line + " " + word)) {
      line = line.empty() ? word : line + " " + word;
      continue;
    }
    if (!line.empty()) lines.push_back(line);
    line.clear();
    // A word wider than a line alone is broken where the line is full (not inside a UTF-8
    // character).
    while (!fits(word)) {
      std::size_t n = 1;
      while (n < word.size() &&
             (fits(word.substr(0, n + 1)) || (static_cast<unsigned char>(word[n]) & 0xC0) == 0x80))
        ++n;
      lines.push_back(word.substr(0, n));
      word.erase(0, n);
    }
    line = word;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

int legend_rows(const std::vector<LegendPlace>& legend) {
  return legend.empty() ? 0 : legend.back().row + static_cast<int>(legend.back().lines.size());
}

std::vector<LegendPlace> legend_places(const std::vector<std::string>& names, double left,
                                       double right, double swatch, double font_px) {
  // chosen: 3 px from the swatch to its name, 10 px between entries.
  constexpr double kToName = 3.0, kBetween = 10.0;
  std::vector<LegendPlace> out;
  double x = left;
  int row = 0;
  for (const auto& name : names) {
    LegendPlace p;
    p.lines = wrap_text(name, right - left - swatch - kToName, font_px);
    double width = swatch + kToName;
    for (const auto& line : p.lines)
      width = std::max(width, swatch + kToName + text_width(line, font_px));
    if (x > left && (x + width > right || p.lines.size() > 1)) x = left, ++row;
    p.x = x;
    p.row = row;
    out.push_back(p);
    // A name on several lines takes their rows alone.
    if (p.lines.size() > 1) {
      row += static_cast<int>(p.lines.size());
      x = left;
    } else {
      x += width + kBetween;
    }
  }
  return out;
}

namespace {

// Linear blend of two colours given as 0xrrggbb.
std::string blend(unsigned a, unsigned b, double w) {
  w = std::clamp(w, 0.0, 1.0);
  const auto channel = [&](int shift) {
    const double x = ((a >> shift) & 0xff) * (1.0 - w) + ((b >> shift) & 0xff) * w;
    return static_cast<unsigned>(std::lround(x));
  };
  return fmt::format("#{:02x}{:02x}{:02x}", channel(16), channel(8), channel(0));
}

constexpr unsigned kBlue = 0x2b6cb0, kGrey = 0xc8cdd2, kRed = 0xc53030, kPale = 0xf2d6a2;

}  // namespace

std::string ColourScale::colour(double value) const {
  if (!std::isfinite(value)) return "#999999";
  const double t = (std::clamp(value, low, high) - low) / (high - low);
  if (!diverging) return t < 0.5 ? blend(kGrey, kPale, 2.0 * t) : blend(kPale, kRed, 2.0 * t - 1.0);
  // Diverging around zero: negative blue, positive red.
  if (value < 0.0) return blend(kGrey, kBlue, low < 0.0 ? value / low : 0.0);
  return blend(kGrey, kRed, high > 0.0 ? value / high : 0.0);
}

std::vector<double> unit_lengths(const model::Model& model, const Eigen::VectorXd& q) {
  model::Data data(model);
  model::calc_musculotendon_geometry(model, q, data);
  return std::vector<double>(data.l_MT.data(), data.l_MT.data() + data.l_MT.size());
}

PoseDrawing draw_pose(const model::Model& model, const Eigen::VectorXd& q,
                      const std::vector<double>& unit_values) {
  const auto& tree = model.tree;
  skeleton::Kinematics kin;
  kin.resize(tree.num_bodies());
  skeleton::calc_kinematics(tree, q, kin);
  const auto& b = model.body;
  const auto at = [&](int body, const Vector2d& p_B) -> Vector2d {
    return kin.p_WBo[body] + kin.R_WB[body] * p_B;
  };
  PoseDrawing d;
  // Trunk: S1 endplate, each lumbar disc centre, the thoracolumbar joint, the top of the thorax
  // (twice its centre of mass height, chosen: about the base of the neck).
  const Vector2d s1 = at(b.pelvis, model.p_PS1);
  PoseDrawing::Line spine;
  spine.points.push_back(s1);
  for (int i = 4; i >= 0; --i) spine.points.push_back(kin.p_WJ[b.lumbar[i]]);
  spine.points.push_back(kin.p_WJ[b.thorax]);
  const Vector2d thorax_cm = tree.body(b.thorax).p_Bcm;
  const Vector2d neck = at(b.thorax, 2.0 * thorax_cm);
  spine.points.push_back(neck);
  d.near_bones.push_back(spine);
  const Vector2d axis = (neck - kin.p_WJ[b.thorax]).normalized();
  d.head_radius = 0.11 * (neck - kin.p_WJ[b.thorax]).norm() / 0.49;
  d.head_centre = neck + axis * (1.4 * d.head_radius);
  // Pelvis: its origin, the S1 endplate and the hip centre.
  PoseDrawing::Line pelvis;
  pelvis.points = {kin.p_WBo[b.pelvis], s1, kin.p_WJ[b.femur[0]], kin.p_WBo[b.pelvis]};
  d.near_bones.push_back(pelvis);
  // Legs: hip, knee, ankle, heel, toe, ankle.
  d.ground_y = 1e9;
  for (int k = 0; k < 2; ++k) {
    PoseDrawing::Line leg;
    const Vector2d heel = at(b.foot[k], {model.heel_x, model.sole_y});
    const Vector2d toe = at(b.foot[k], {model.toe_x, model.sole_y});
    leg.points = {kin.p_WJ[b.femur[k]], kin.p_WJ[b.tibia[k]], kin.p_WJ[b.foot[k]], heel, toe,
                  kin.p_WJ[b.foot[k]]};
    d.ground_y = std::min({d.ground_y, heel.y(), toe.y()});
    (k == 0 ? d.near_bones : d.far_bones).push_back(leg);
  }
  // Muscles of the right side.
  geometry::PathGeometry g;
  for (int u = 0; u < model.num_units(); ++u) {
    const auto& unit = model.units[static_cast<std::size_t>(u)];
    if (unit.side != model::Side::right) continue;
    geometry::calc_path_geometry(tree, kin, unit.path, g, geometry::PathDrawing::kDraw);
    PoseDrawing::Line m;
    m.points = g.polyline_W;
    m.value = static_cast<std::size_t>(u) < unit_values.size() ? unit_values[u] : 0.0;
    m.name = unit.name;
    d.muscles.push_back(std::move(m));
  }
  // Bounds.
  d.min = Vector2d::Constant(1e9);
  d.max = Vector2d::Constant(-1e9);
  const auto grow = [&](const Vector2d& p) {
    d.min = d.min.cwiseMin(p);
    d.max = d.max.cwiseMax(p);
  };
  for (const auto* lines : {&d.near_bones, &d.far_bones, &d.muscles})
    for (const auto& l : *lines)
      for (const auto& p : l.points) grow(p);
  grow(d.head_centre + Vector2d::Constant(d.head_radius));
  grow(d.head_centre - Vector2d::Constant(d.head_radius));
  return d;
}

namespace {

// "x1,y1 x2,y2 ..." in panel pixels.
template <class Map>
std::string points_attr(const std::vector<Vector2d>& points, Map map) {
  std::string out;
  for (const auto& p : points) {
    const Vector2d s = map(p);
    out += fmt::format("{:.1f},{:.1f} ", s.x(), s.y());
  }
  if (!out.empty()) out.pop_back();
  return out;
}

}  // namespace

std::string poses_svg(const std::vector<const PoseDrawing*>& poses,
                      const std::vector<std::string>& captions, const ColourScale& scale,
                      const std::string& title) {
  // Common bounds, so that every panel has the same scale and size.
  Vector2d lo = Vector2d::Constant(1e9), hi = Vector2d::Constant(-1e9);
  for (const auto* p : poses) {
    lo = lo.cwiseMin(p->min);
    hi = hi.cwiseMax(p->max);
  }
  const double margin = 0.05;  // m
  lo -= Vector2d::Constant(margin);
  hi += Vector2d::Constant(margin);
  // chosen: 180 px per metre keeps a standing adult about 330 px tall.
  const double px = 180.0;
  // chosen: panels at least 300 px wide, so that a standing figure leaves room for its caption.
  const double drawing_w = (hi.x() - lo.x()) * px, h = (hi.y() - lo.y()) * px;
  const double w = std::max(drawing_w, 300.0), centre_x = (w - drawing_w) / 2.0;
  const double caption_h = 36.0, legend_h = 44.0, gap = 16.0;
  const double total_w = poses.size() * (w + gap) + gap;
  const double total_h = h + caption_h + legend_h + 24.0;
  std::string s = fmt::format(
      "<svg class=\"figure\" viewBox=\"0 0 {:.0f} {:.0f}\" width=\"{:.0f}\" height=\"{:.0f}\" "
      "role=\"img\" aria-label=\"{}\">",
      total_w, total_h, total_w, total_h, escape_html(title));
  s += fmt::format("<text x=\"{:.0f}\" y=\"16\" class=\"svg-title\">{}</text>", gap,
                   escape_html(title));
  for (std::size_t i = 0; i < poses.size(); ++i) {
    const PoseDrawing& d = *poses[i];
    const double x0 = gap + i * (w + gap), y0 = 24.0;
    const auto map = [&](const Vector2d& p) {
      return Vector2d(x0 + centre_x + (p.x() - lo.x()) * px, y0 + (hi.y() - p.y()) * px);
    };
    s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                     "class=\"panel\"/>",
                     x0, y0, w, h);
    const Vector2d g0(x0, map({lo.x(), d.ground_y}).y()), g1(x0 + w, g0.y());
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
                     "class=\"ground\"/>",
                     g0.x(), g0.y(), g1.x(), g1.y());
    for (const auto& l : d.far_bones)
      s += fmt::format("<polyline points=\"{}\" class=\"bone far\"/>", points_attr(l.points, map));
    for (const auto& l : d.near_bones)
      s += fmt::format("<polyline points=\"{}\" class=\"bone\"/>", points_attr(l.points, map));
    const Vector2d head = map(d.head_centre);
    s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{:.1f}\" class=\"bone head\"/>",
                     head.x(), head.y(), d.head_radius * px);
    for (const auto& m : d.muscles)
      s += fmt::format(
          "<polyline points=\"{}\" class=\"muscle\" stroke=\"{}\"><title>{}: {}</title></polyline>",
          points_attr(m.points, map), scale.colour(m.value), escape_html(m.name),
          format_number(m.value * scale.multiplier, 1));
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"caption\">{}</text>", x0 + 4.0,
                     y0 + h + 18.0, escape_html(i < captions.size() ? captions[i] : ""));
  }
  // Legend: the colour scale in 10 steps.
  const double ly = 24.0 + h + caption_h;
  const double step_w = 22.0;
  for (int k = 0; k <= 10; ++k) {
    const double v = scale.low + (scale.high - scale.low) * k / 10.0;
    s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"10\" fill=\"{}\"/>",
                     gap + k * step_w, ly, step_w, scale.colour(v));
  }
  s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"small\">{}</text>", gap, ly + 24.0,
                   format_number(scale.low * scale.multiplier, 0));
  s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"small\" text-anchor=\"end\">{}</text>",
                   gap + 11 * step_w, ly + 24.0, format_number(scale.high * scale.multiplier, 0));
  s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"small\">{}</text>",
                   gap + 11 * step_w + 10.0, ly + 9.0, escape_html(scale.label));
  s += "</svg>";
  return s;
}

std::string norm_bar_svg(const NormBar& row) {
  // Axis from zero (or the smallest value) to a little beyond the largest value or norm end.
  double lo = 0.0, hi = 0.0;
  const auto grow = [&](double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  };
  for (const auto& [name, v] : row.bars) grow(v);
  for (const auto& [name, v] : row.measured) grow(v);
  grow(row.typical);
  grow(row.norm_low);
  grow(row.norm_high);
  if (hi <= lo) hi = lo + 1.0;
  hi += 0.12 * (hi - lo);
  if (lo < 0.0) lo -= 0.12 * (hi - lo);
  const double W = 420.0, x0 = 8.0, x1 = W - 8.0, bar_h = 12.0;
  const double H = 20.0 + bar_h * (row.bars.size() + 0.5) + 16.0;
  const auto X = [&](double v) { return x0 + (v - lo) / (hi - lo) * (x1 - x0); };
  std::string s = fmt::format(
      "<svg class=\"normbar\" viewBox=\"0 0 {:.0f} {:.0f}\" width=\"{:.0f}\" height=\"{:.0f}\" "
      "role=\"img\" aria-label=\"{}\">",
      W, H, W, H, escape_html(row.label));
  const double top = 6.0, bottom = H - 16.0;
  if (std::isfinite(row.norm_low) || std::isfinite(row.norm_high)) {
    const double a = X(std::isfinite(row.norm_low) ? row.norm_low : lo);
    const double b = X(std::isfinite(row.norm_high) ? row.norm_high : hi);
    s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                     "class=\"norm\"><title>published norm</title></rect>",
                     a, top, std::max(b - a, 1.0), bottom - top);
  }
  const std::array<const char*, 2> fills = {"bar-a", "bar-b"};
  for (std::size_t i = 0; i < row.bars.size(); ++i) {
    const auto& [name, v] = row.bars[i];
    const double y = top + 4.0 + i * bar_h;
    if (std::isfinite(v)) {
      const double a = X(std::min(0.0, v)), b = X(std::max(0.0, v));
      s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                       "class=\"{}\"><title>{} {}</title></rect>",
                       a, y, std::max(b - a, 1.0), bar_h - 3.0, fills[i % 2], escape_html(name),
                       format_number(v, row.decimals));
    }
    for (const auto& [mname, m] : row.measured)
      if (mname == name && std::isfinite(m)) {
        const double cx = X(m), cy = y + (bar_h - 3.0) / 2.0;
        s += fmt::format("<polygon points=\"{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f} "
                         "{:.1f},{:.1f}\" class=\"measured\"><title>measured {} {}</title>"
                         "</polygon>",
                         cx, cy - 6, cx + 6, cy, cx, cy + 6, cx - 6, cy, escape_html(mname),
                         format_number(m, row.decimals));
      }
  }
  if (std::isfinite(row.typical))
    s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" "
                     "class=\"typical\"><title>typical subject {3}</title></line>",
                     X(row.typical), top, bottom, format_number(row.typical, row.decimals));
  s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" class=\"axis\"/>",
                   x0, bottom, x1, bottom);
  s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"small\">{}</text>", x0, H - 3.0,
                   format_number(lo, row.decimals));
  s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"small\" text-anchor=\"end\">{} {}</text>",
                   x1, H - 3.0, format_number(hi, row.decimals), escape_html(row.unit));
  s += "</svg>";
  return s;
}

std::string grouped_bars_svg(const GroupedBars& c) {
  double hi = std::isfinite(c.limit) ? c.limit : 0.0;
  for (const auto& row : c.values)
    for (double v : row)
      if (std::isfinite(v)) hi = std::max(hi, v);
  if (hi <= 0.0) hi = 1.0;
  hi *= 1.1;
  const double label_w = 60.0, W = 640.0, x1 = W - 70.0, bar_h = 11.0;
  const double group_h = bar_h * c.series.size() + 8.0;
  // The legend under the limit's label, in rows (11 px text, 14 px apart) that leave room at the
  // right of the first for the unit.
  constexpr double kFont = 11.0, kLegendRow = 14.0;
  const double top = 24.0, bottom = top + group_h * c.labels.size();
  const double legend_top = bottom + 35.0;
  const std::vector<LegendPlace> legend =
      legend_places(c.series, label_w, W - 4.0 - text_width(c.unit, kFont) - 10.0, 10.0, kFont);
  const int rows = std::max(1, legend_rows(legend));
  const double H = legend_top + kLegendRow * (rows - 1) + std::ceil(kTextDescentEm * kFont) + 2.0;
  const auto X = [&](double v) { return label_w + v / hi * (x1 - label_w); };
  std::string s = fmt::format(
      "<svg class=\"figure\" viewBox=\"0 0 {:.0f} {:.0f}\" width=\"{:.0f}\" height=\"{:.0f}\" "
      "role=\"img\" aria-label=\"{}\">",
      W, H, W, H, escape_html(c.title));
  s += fmt::format("<text x=\"4\" y=\"14\" class=\"svg-title\">{}</text>", escape_html(c.title));
  for (std::size_t i = 0; i < c.labels.size(); ++i) {
    const double y0 = top + i * group_h;
    s += fmt::format("<text x=\"4\" y=\"{:.1f}\" class=\"small\">{}</text>",
                     y0 + group_h / 2.0, escape_html(c.labels[i]));
    for (std::size_t k = 0; k < c.series.size(); ++k) {
      const double v = i < c.values.size() && k < c.values[i].size() ? c.values[i][k] : 0.0;
      if (!std::isfinite(v)) continue;
      const double y = y0 + k * bar_h;
      s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                       "fill=\"{}\"><title>{} {} {}</title></rect>",
                       label_w, y, std::max(X(v) - label_w, 0.5), bar_h - 2.0,
                       escape_html(c.colours[k]), escape_html(c.series[k]), format_number(v, 0),
                       escape_html(c.unit));
      s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tiny\">{}</text>", X(v) + 3.0,
                       y + bar_h - 3.0, format_number(v, 0));
    }
  }
  if (std::isfinite(c.limit)) {
    s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" "
                     "class=\"limit\"/>",
                     X(c.limit), top - 4.0, bottom);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"small limit-text\" "
                     "text-anchor=\"middle\">{}</text>",
                     X(c.limit), bottom + 12.0, escape_html(c.limit_label));
  }
  for (std::size_t k = 0; k < c.series.size(); ++k) {
    const double lx = legend[k].x, ly = legend_top + kLegendRow * legend[k].row;
    s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"10\" height=\"10\" fill=\"{}\"/>", lx,
                     ly - 9.0, escape_html(c.colours[k]));
    for (std::size_t j = 0; j < legend[k].lines.size(); ++j)
      s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"small\">{}</text>", lx + 13.0,
                       ly + kLegendRow * static_cast<double>(j), escape_html(legend[k].lines[j]));
  }
  s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"small\" text-anchor=\"end\">{}</text>",
                   W - 4.0, legend_top, escape_html(c.unit));
  s += "</svg>";
  return s;
}

std::string line_chart_svg(const LineChart& c) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  std::size_t weeks = 1;
  for (const auto& line : c.series) {
    weeks = std::max(weeks, line.values.size());
    for (double v : line.values)
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  if (!std::isfinite(lo)) lo = 0.0, hi = 1.0;
  // chosen: a tenth of the range as margin, and at least 5 % of the value (or four steps of the
  // last decimal shown) either side, so that a flat line sits mid-chart with distinct ticks.
  const double margin = std::max({0.1 * (hi - lo), 0.05 * std::abs(hi),
                                  4.0 * std::pow(10.0, -c.decimals)});
  lo -= margin;
  hi += margin;
  // The unit's line between the title and the plot; the legend under the weeks, wrapped into
  // rows of 9 px text 12 px apart, the chart as tall as its rows need.
  constexpr double kFont = 9.0, kLegendRow = 12.0;
  const double W = 320.0, left = 46.0, right = W - 10.0, top = 36.0, bottom = 156.0;
  std::vector<std::string> names;
  for (const auto& line : c.series) names.push_back(line.name);
  const std::vector<LegendPlace> legend = legend_places(names, 4.0, W - 4.0, 14.0, kFont);
  const int rows = legend_rows(legend);
  const double legend_top = bottom + 34.0;
  const double H = (rows ? legend_top + kLegendRow * (rows - 1) : bottom + 22.0) +
                   std::ceil(kTextDescentEm * kFont) + 2.0;
  const double last = static_cast<double>(weeks - 1);
  const auto X = [&](double w) { return left + (last > 0 ? w / last : 0.0) * (right - left); };
  const auto Y = [&](double v) { return bottom - (v - lo) / (hi - lo) * (bottom - top); };
  std::string s = fmt::format(
      "<svg class=\"figure chart\" viewBox=\"0 0 {0:.0f} {1:.0f}\" width=\"{0:.0f}\" "
      "height=\"{1:.0f}\" role=\"img\" aria-label=\"{2}\">",
      W, H, escape_html(c.title));
  s += fmt::format("<text x=\"4\" y=\"14\" class=\"svg-title\">{}</text>", escape_html(c.title));
  // Axes, with the y range's ends and middle, and the weeks (at most 13 labels).
  s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" "
                   "class=\"axis\"/><line x1=\"{0:.1f}\" y1=\"{2:.1f}\" x2=\"{3:.1f}\" "
                   "y2=\"{2:.1f}\" class=\"axis\"/>",
                   left, top, bottom, right);
  for (double v : {lo, 0.5 * (lo + hi), hi})
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tiny\" text-anchor=\"end\">{}</text>",
                     left - 3.0, Y(v) + 3.0, format_number(v, c.decimals));
  const std::size_t step = weeks > 13 ? (weeks + 11) / 12 : 1;
  for (std::size_t w = 0; w < weeks; w += step)
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tiny\" text-anchor=\"middle\">{}</text>",
                     X(double(w)), bottom + 11.0, w);
  s += fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tiny\" text-anchor=\"middle\">week"
      "</text><text x=\"4\" y=\"{:.1f}\" class=\"tiny\">{}</text>",
      0.5 * (left + right), bottom + 22.0, top - 9.0, escape_html(c.unit));
  for (int w : c.marks)
    s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" "
                     "class=\"limit\"><title>re-test, week {3}</title></line>",
                     X(w), top, bottom, w);
  for (const auto& line : c.series) {
    std::string path, dots;
    bool pen_down = false;
    const auto finite_at = [&](std::size_t w) {
      return w < line.values.size() && std::isfinite(line.values[w]);
    };
    for (std::size_t w = 0; w < line.values.size(); ++w) {
      const double v = line.values[w];
      if (!std::isfinite(v)) {
        pen_down = false;
        continue;
      }
      path += fmt::format("{}{:.1f},{:.1f} ", pen_down ? "L" : "M", X(double(w)), Y(v));
      pen_down = true;
      // A week between gaps (NaN) makes no line: a dot shows it.
      if (!(w > 0 && finite_at(w - 1)) && !finite_at(w + 1))
        dots += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\" fill=\"{}\"/>",
                            X(double(w)), Y(v), escape_html(line.colour));
    }
    if (path.empty()) continue;
    s += dots;
    s += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}><title>{}: "
                     "{} at the end</title></path>",
                     path, escape_html(line.colour),
                     line.dashed ? " stroke-dasharray=\"5 3\"" : "", escape_html(line.name),
                     format_number(line.values.back(), c.decimals));
  }
  for (std::size_t i = 0; i < c.series.size(); ++i) {
    const auto& line = c.series[i];
    const double lx = legend[i].x, ly = legend_top + kLegendRow * legend[i].row;
    s += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" "
        "stroke=\"{3}\" stroke-width=\"2\"{4}/>",
        lx, ly - 3.0, lx + 14.0, escape_html(line.colour),
        line.dashed ? " stroke-dasharray=\"5 3\"" : "");
    for (std::size_t j = 0; j < legend[i].lines.size(); ++j)
      s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tiny\">{}</text>", lx + 17.0,
                       ly + kLegendRow * static_cast<double>(j), escape_html(legend[i].lines[j]));
  }
  s += "</svg>";
  return s;
}

std::string gauge_svg(const Gauge& g) {
  // The note under the value in lines of 9 px text, 11 px apart, within the gauge's width; the
  // gauge as tall as they need.
  const double W = 200.0, cx = 100.0, cy = 100.0, r = 72.0;
  const std::vector<std::string> note = wrap_text(g.note, W - 8.0, 9.0);
  const double H = cy + 40.0 + 11.0 * static_cast<double>(note.size() - 1) + 10.0;
  const auto angle = [&](double v) {
    const double t = std::clamp((v - g.low) / (g.high - g.low), 0.0, 1.0);
    return std::numbers::pi * (1.0 - t);  // 180 deg at low, 0 at high
  };
  const auto point = [&](double a, double radius) {
    return Vector2d(cx + radius * std::cos(a), cy - radius * std::sin(a));
  };
  std::string s = fmt::format(
      "<svg class=\"gauge\" viewBox=\"0 0 {0:.0f} {1:.0f}\" width=\"{0:.0f}\" height=\"{1:.0f}\" "
      "role=\"img\" aria-label=\"{2}\">",
      W, H, escape_html(g.title));
  std::vector<double> edges = {g.low};
  edges.insert(edges.end(), g.bounds.begin(), g.bounds.end());
  edges.push_back(g.high);
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
    const Vector2d a = point(angle(edges[i]), r), b = point(angle(edges[i + 1]), r);
    s += fmt::format("<path d=\"M {:.1f} {:.1f} A {:.0f} {:.0f} 0 0 1 {:.1f} {:.1f}\" "
                     "stroke=\"{}\" class=\"zone\"/>",
                     a.x(), a.y(), r, r, b.x(), b.y(),
                     escape_html(i < g.colours.size() ? g.colours[i] : "#cccccc"));
  }
  if (std::isfinite(g.typical)) {
    const Vector2d a = point(angle(g.typical), r - 14.0), b = point(angle(g.typical), r + 14.0);
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
                     "class=\"typical\"><title>typical subject {}</title></line>",
                     a.x(), a.y(), b.x(), b.y(), format_number(g.typical, g.decimals));
  }
  if (std::isfinite(g.value)) {
    const Vector2d tip = point(angle(g.value), r - 6.0);
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
                     "class=\"needle\"/><circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4\" "
                     "class=\"needle-hub\"/>",
                     cx, cy, tip.x(), tip.y(), cx, cy);
  }
  s += fmt::format("<text x=\"{:.0f}\" y=\"14\" class=\"small\" text-anchor=\"middle\">{}</text>",
                   cx, escape_html(g.title));
  s += fmt::format("<text x=\"{:.0f}\" y=\"{:.0f}\" class=\"gauge-value\" "
                   "text-anchor=\"middle\">{}</text>",
                   cx, cy + 22.0,
                   std::isfinite(g.value)
                       ? format_number(g.value, g.decimals) + " " + escape_html(g.unit)
                       : std::string("not computed"));
  for (std::size_t i = 0; i < note.size(); ++i)
    s += fmt::format(
        "<text x=\"{:.0f}\" y=\"{:.0f}\" class=\"tiny\" text-anchor=\"middle\">{}</text>", cx,
        cy + 40.0 + 11.0 * static_cast<double>(i), escape_html(note[i]));
  s += "</svg>";
  return s;
}

}  // namespace pulley::report
