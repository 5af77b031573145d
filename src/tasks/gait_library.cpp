#include "pulley/tasks/gait_library.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "pulley/core/error.hpp"
#include "pulley/io/embedded_motion.hpp"
#include "pulley/tasks/movement.hpp"

namespace pulley::tasks {

namespace {

// Smoothing cut-offs. Walking: 6 Hz, the cut-off Winter (2009, Biomechanics and Motor Control of
// Human Movement, 4th ed., ch. 2) finds for walking kinematics. Running and sprinting: chosen,
// 12 Hz, twice walking's for their faster strides and impacts, within the 10-20 Hz that running
// studies use; one cut-off for angles and forces (Kristianslund et al. 2012, J Biomech 45:666).
constexpr double kWalkCutoffHz = 6.0;
constexpr double kRunCutoffHz = 12.0;
// Sit-to-stand and squat: chosen, walking's 6 Hz (Winter 2009): both move more slowly than a
// walking stride (a rise in about 0.6 s, a squat in about 2.5 s) and have no foot impact, so
// what they hold lies below it; one cut-off for angles and forces, as above.
constexpr double kRepetitionCutoffHz = 6.0;

const std::array<std::string, 2> kGroundForceLabels = {"ground_force_r_vy", "ground_force_l_vy"};
// OpenCap's laboratory plates: plate 1 under the right foot, plate 2 under the left (the shared
// data's README, from the centre of pressure against pelvis_tz); plate 3 is empty.
const std::array<std::string, 2> kPlateForceLabels = {"ground_force_1_vy", "ground_force_2_vy"};
const std::array<std::string, 2> kCalcnForceLabels = {"ground_force_calcn_r_vy",
                                                      "ground_force_calcn_l_vy"};

std::vector<GaitRecordingInfo> make_recordings() {
  std::vector<GaitRecordingInfo> r;
  r.push_back({"walk", "level walking", 1.25, "rajagopal2016_walking", "coordinates.sto", "grf_walk.mot",
               KneeFlexionSign::positive, kGroundForceLabels, kWalkCutoffHz, true,
               "Rajagopal A et al. (2016) IEEE Trans Biomed Eng 63:2068; OpenSim Moco example "
               "(Dembia CL et al. 2020, PLoS Comput Biol 16:e1008493)"});
  for (int speed : {2, 3, 4, 5})
    r.push_back({"run", "treadmill running", static_cast<double>(speed), "hamner2013_running",
                 fmt::format("run{}00_ik.mot", speed), fmt::format("run{}00_grf.mot", speed),
                 KneeFlexionSign::negative, kCalcnForceLabels, kRunCutoffHz, true,
                 "Hamner SR, Delp SL (2013) J Biomech 46:780; AddBiomechanics (Werling K et al. "
                 "2023, PLoS ONE 18:e0295152)"});
  r.push_back({"sprint", "sprinting", 9.5, "dorn2012_running_sprinting_JA1", "sprint_ik.mot", "sprint_grf.mot",
               KneeFlexionSign::negative, kGroundForceLabels, kRunCutoffHz, false,
               "Dorn TW, Schache AG, Pandy MG (2012) J Exp Biol 215:1944, subject JA1"});
  const char* opencap =
      "Uhlrich SD et al. (2023) OpenCap, PLoS Comput Biol 19:e1011462, laboratory data of "
      "subject 4; AddBiomechanics (Werling K et al. 2023, PLoS ONE 18:e0295152)";
  r.push_back({"sit-to-stand", "five rises from a chair, each followed by sitting down", 0.0,
               "uhlrich2023_opencap", "STS1_ik.mot", "STS1_grf.mot", KneeFlexionSign::positive,
               kPlateForceLabels, kRepetitionCutoffHz, true, opencap});
  r.push_back({"squat", "five bodyweight squats", 0.0, "uhlrich2023_opencap", "squats1_ik.mot",
               "squats1_grf.mot", KneeFlexionSign::positive, kPlateForceLabels,
               kRepetitionCutoffHz, true, opencap});
  return r;
}

}  // namespace

const std::vector<GaitRecordingInfo>& gait_recordings() {
  static const std::vector<GaitRecordingInfo> recordings = make_recordings();
  return recordings;
}

std::vector<double> recorded_speeds(std::string_view activity) {
  std::vector<double> speeds;
  for (const auto& r : gait_recordings())
    if (r.activity == activity) speeds.push_back(r.speed_m_s);
  return speeds;
}

const GaitRecordingInfo& find_gait_recording(std::string_view activity, double speed_m_s) {
  for (const auto& r : gait_recordings())
    if (r.activity == activity && std::abs(r.speed_m_s - speed_m_s) < 1e-9) return r;
  const auto speeds = recorded_speeds(activity);
  if (speeds.empty())
    throw InputError(fmt::format("no recorded activity '{}'; recorded: walk, run, sprint",
                                 activity));
  throw InputError(fmt::format(
      "{}: speed_m_s={:g} has no recording; recorded speeds: {} m/s (speeds between recordings "
      "are not interpolated)",
      activity, speed_m_s, join_values(speeds)));
}

const GaitRecordingInfo& find_recording(std::string_view activity) {
  for (const auto& r : gait_recordings())
    if (r.activity == activity) return r;
  throw InputError(fmt::format("no recording of '{}'", activity));
}

GaitRecording load_gait_recording(const GaitRecordingInfo& info) {
  GaitRecording recording;
  recording.knee_flexion = info.knee_flexion;
  recording.vertical_force_label = info.vertical_force_label;
  if (info.shipped) {
    const auto text = [&](const std::string& file) -> std::string_view {
      const std::string name = info.folder + "/" + file;
      for (const auto& f : io::embedded_motion_files())
        if (f.name == name) return f.content;
      PULLEY_DEMAND(false, "a shipped recording is embedded");
      return {};
    };
    recording.coordinates = io::parse_motion_table(text(info.coordinates), info.folder + "/" + info.coordinates);
    recording.forces = io::parse_motion_table(text(info.forces), info.folder + "/" + info.forces);
    return recording;
  }
  const char* dir = std::getenv(kMotionDirVariable);
  const std::filesystem::path folder = std::filesystem::path(dir ? dir : "") / info.folder;
  if (!dir || !std::filesystem::exists(folder / info.coordinates) ||
      !std::filesystem::exists(folder / info.forces))
    throw InputError(fmt::format(
        "{}: the recording ({}) is not shipped with Pulley, its licence does not allow a copy; "
        "set {} to a folder holding {}/{} and {}/{}{}",
        info.activity, info.citation, kMotionDirVariable, info.folder, info.coordinates,
        info.folder, info.forces,
        dir ? fmt::format(" (now '{}', which lacks them)", dir) : std::string()));
  recording.coordinates = io::read_motion_table((folder / info.coordinates).string());
  recording.forces = io::read_motion_table((folder / info.forces).string());
  return recording;
}

}  // namespace pulley::tasks
