#include "pulley/io/results_json.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/core/version.hpp"
#include "pulley/io/subject_yaml.hpp"

namespace pulley::io {

// JSON has no NaN: a non-finite number would be a bug upstream, so it is written as null.
nlohmann::json finite_number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}

namespace {

nlohmann::json number(double v) { return finite_number(v); }

}  // namespace

std::string readable_number(double v) {
  if (!std::isfinite(v)) return "n/a";
  const double a = std::abs(v);
  return fmt::format("{:.{}f}", v, a >= 100.0 ? 0 : a >= 10.0 ? 1 : a >= 1.0 ? 2 : 3);
}

std::string number_or_na(double v, std::string_view format, int width) {
  const std::string text =
      std::isfinite(v) ? fmt::format(fmt::runtime(format), v) : std::string("n/a");
  return width > 0 ? fmt::format("{:>{}}", text, width) : text;
}

const char* const kResultDisclaimer =
    "Pulley is a simulation and education tool. These are model estimates, not measurements or a "
    "diagnosis; see a qualified clinician about pain.";

nlohmann::json result_header(const std::string& task) {
  return {{"schema_version", kResultSchemaVersion},
          {"pulley_version", std::string(version())},
          {"task", task},
          {"disclaimer", kResultDisclaimer}};
}

nlohmann::json subject_to_json(const model::Subject& subject) {
  return {{"name", subject.name},
          {"sex", subject.sex == model::Sex::male ? "male" : "female"},
          {"age", subject.age_years},
          {"height_m", subject.height_m},
          {"mass_kg", subject.mass_kg},
          {"pelvic_incidence_deg", subject.pelvic_incidence_deg},
          {"file", subject_to_yaml(subject)}};
}

nlohmann::json subject_to_json(const model::Model& model) { return subject_to_json(model.subject); }

nlohmann::json moment_arms_to_json(const model::Model& model, const tasks::MomentArmSweep& sweep,
                                   const std::string& joint, model::Side side) {
  using nlohmann::json;
  json j = result_header("moment-arms");
  j["subject"] = subject_to_json(model);
  j["joint"] = joint;
  j["coordinate"] = model.tree.coordinate_name(sweep.coordinate);
  j["side"] = std::string(model::side_name(side));
  j["sign_convention"] =
      "r = -dl_MT/dq; positive drives the coordinate in its positive direction (hip flexion, knee "
      "flexion, ankle dorsiflexion, segmental lordosis = lumbar extension)";
  j["muscle_moment_arm"] =
      "F_M_max-weighted mean over the muscle's units that cross the joint";
  json base;
  const Eigen::VectorXd& q = sweep.base_q;
  for (int k = 3; k < model.num_coordinates(); ++k)
    if (k != sweep.coordinate) base[model.tree.coordinate_name(k)] = rad_to_deg(q[k]);
  j["other_coordinates_deg"] = base;
  json angles = json::array();
  for (double a : sweep.angle_rad) angles.push_back(number(rad_to_deg(a)));
  j["angles_deg"] = angles;
  json muscles = json::object();
  for (const auto& m : sweep.muscles) {
    json values = json::array();
    for (double r : m.moment_arm_m) values.push_back(number(1e3 * r));
    muscles[model.muscles[m.muscle].name] = {
        {"moment_arm_mm", values},
        {"units_crossing", m.crossing_units},
        {"units", model.muscles[m.muscle].units.size()}};
  }
  j["muscles"] = muscles;
  json groups = json::object();
  for (const auto& g : sweep.groups) {
    json values = json::array();
    for (double r : g.moment_arm_m) values.push_back(number(1e3 * r));
    groups[g.group] = {{"moment_arm_mm", values}, {"units_crossing", g.crossing_units}};
  }
  j["groups"] = groups;
  return j;
}

nlohmann::json standing_to_json(const model::Model& model, const tasks::StandingResult& r) {
  using nlohmann::json;
  json j = result_header("stand");
  j["subject"] = subject_to_json(model);
  const auto& p = r.posture;
  json post;
  post["pelvic_tilt_deg"] = number(p.pelvic_tilt_deg);
  post["sacral_slope_deg"] = number(p.sacral_slope_deg);
  post["pelvic_incidence_deg"] = number(p.pelvic_incidence_deg);
  post["lumbar_lordosis_deg"] = number(p.lumbar_lordosis_deg);
  for (size_t k = 0; k < model.levels.size(); ++k)
    post["segmental_lordosis_deg"][model.levels[k].name] = number(p.segmental_lordosis_deg[k]);
  const char* sides[2] = {"right", "left"};
  for (int k = 0; k < 2; ++k) {
    post["hip_flexion_deg"][sides[k]] = number(p.hip_flexion_deg[k]);
    post["knee_flexion_deg"][sides[k]] = number(p.knee_flexion_deg[k]);
    post["ankle_dorsiflexion_deg"][sides[k]] = number(p.ankle_dorsiflexion_deg[k]);
  }
  post["thorax_inclination_deg"] = number(p.trunk_inclination_deg);
  post["com_anterior_to_ankle_m"] = number(p.com_anterior_to_ankle_m);
  j["posture"] = post;
  // The loads and muscle forces of a posture out of equilibrium (the search's last point) are no
  // estimate of anything: null, as the printout leaves them out.
  const bool equilibrium = r.status == tasks::SolveStatus::converged;
  const auto value = [equilibrium](double v) { return equilibrium ? number(v) : json(nullptr); };
  json lumbar;
  for (const auto& l : r.lumbar)
    lumbar[l.level] = {{"compression_n", value(l.compression_n)},
                       {"shear_n", value(l.shear_n)},
                       {"disc_moment_nm", value(l.disc_moment_nm)},
                       {"ligament_tension_n", value(l.ligament_tension_n)},
                       {"disc_pressure_mpa", value(l.disc_pressure_mpa)},
                       {"posterior_share", value(l.posterior_share)}};
  j["loads"]["lumbar"] = lumbar;
  j["loads"]["ground_force_n"] = {{"right", value(r.ground_force_n[0])},
                                  {"left", value(r.ground_force_n[1])}};
  json muscles = json::object(), units = json::object();
  for (size_t k = 0; k < model.muscles.size(); ++k) {
    const auto& m = model.muscles[k];
    const auto out = tasks::muscle_output(model, static_cast<int>(k), r.force_n, r.activation);
    muscles[m.name] = {{"force_n", value(out.force_n)},
                       {"activation", value(out.activation)},
                       {"group", m.group},
                       {"units", static_cast<int>(m.units.size())}};
  }
  for (int i = 0; i < model.num_units(); ++i)
    units[model.units[i].name] = {{"muscle", model.muscles[model.units[i].muscle].name},
                                  {"force_n", value(r.force_n[i])},
                                  {"activation", value(r.activation[i])},
                                  {"fibre_length_norm", value(r.fibre_length_norm[i])}};
  j["muscles"] = muscles;
  j["units"] = units;
  j["solver"] = {{"status", tasks::to_string(r.status)},
                 {"message", r.message},
                 {"iterations", r.iterations},
                 {"residual", number(r.residual_nm)},
                 {"residual_unit", "N m"},
                 {"objective", number(r.effort)}};
  return j;
}

namespace {

// Where `path` is written: a regular file (or a new one) through its symlinks, so that the
// file beside it can be renamed onto the file the link names; anything else that exists (a
// device, a FIFO, /dev/stdout on a pipe) as given, written in place.
struct OutputTarget {
  std::filesystem::path path;
  bool in_place = false;
};

OutputTarget output_target(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path given(path);
  std::error_code ec;
  const fs::file_status status = fs::status(given, ec);
  if (fs::is_directory(status))
    throw InputError(path + ": cannot write: it is a folder; give a file name");
  if (fs::exists(status) && !fs::is_regular_file(status)) return {given, true};
  fs::path target = given;
  if (fs::exists(status)) {
    target = fs::canonical(given, ec);
    if (ec) throw InputError(path + ": cannot write: " + ec.message());
  }
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec))
    throw InputError(path + ": cannot write: the folder '" + dir.string() + "' does not exist");
  return {target, false};
}

std::filesystem::path temporary_beside(const std::filesystem::path& target) {
  return target.string() + ".tmp-pulley";
}

std::string error_text(int error) {
  return std::error_code(error, std::generic_category()).message();
}

// Writes `text` into the device or FIFO `target`. Opened without blocking, so that a FIFO no
// program reads from is an error instead of a wait; then written in full, blocking.
void write_in_place(const std::string& path, const std::filesystem::path& target,
                    const std::string& text) {
  const int fd = ::open(target.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    throw InputError(path + ": cannot write: " +
                     (error == ENXIO ? std::string("no program is reading from it")
                                     : error_text(error)));
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = n < 0 ? error_text(errno) : "nothing written";
      ::close(fd);
      throw InputError(path + ": cannot write: " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

}  // namespace

OutputKind check_output_file(const std::string& path) {
  // A device or FIFO is not opened ahead: opening a FIFO and closing it would end its reader's
  // input before the results are written.
  const OutputTarget target = output_target(path);
  if (target.in_place) return OutputKind::in_place;
  const std::filesystem::path tmp = temporary_beside(target.path);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(path + ": cannot write: permission denied or read-only folder");
  }
  std::error_code ec;
  std::filesystem::remove(tmp, ec);
  return OutputKind::file;
}

void write_text_file_atomically(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  const OutputTarget target = output_target(path);
  if (target.in_place) return write_in_place(path, target.path, text);
  const fs::path file = temporary_beside(target.path);
  std::error_code ec;
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(path + ": cannot write: permission denied or read-only folder");
    out << text;
    out.flush();
    if (!out) {
      out.close();
      fs::remove(file, ec);
      throw InputError(path + ": cannot write: the disk refused the data");
    }
  }
  fs::rename(file, target.path, ec);
  if (ec) {
    fs::remove(file, ec);
    throw InputError(path + ": cannot write: " + ec.message());
  }
}

}  // namespace pulley::io
