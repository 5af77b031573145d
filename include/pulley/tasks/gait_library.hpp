// The recorded walks, runs, sprints, sit-to-stands and squats that drive Pulley's recorded tasks
// (models/motion/README.md gives each one's source, licence and subject). Shipped recordings are
// compiled into the library; a recording whose licence does not allow a copy is read, where a user
// has it, from the folder named by the environment variable PULLEY_MOTION_DIR.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pulley/tasks/gait.hpp"

namespace pulley::tasks {

/// Environment variable naming a folder that holds recordings Pulley does not ship.
inline constexpr const char* kMotionDirVariable = "PULLEY_MOTION_DIR";

struct GaitRecordingInfo {
  std::string activity;      ///< "walk", "run", "sprint", "sit-to-stand", "squat"
  std::string description;   ///< "level walking", as `pulley tasks` says it
  double speed_m_s = 0.0;    ///< 0 for sit-to-stand and squat
  std::string folder;        ///< e.g. "hamner2013_running"
  std::string coordinates;   ///< file in the folder: joint angles
  std::string forces;        ///< file in the folder: ground reactions
  KneeFlexionSign knee_flexion = KneeFlexionSign::positive;
  std::array<std::string, 2> vertical_force_label;
  /// Cut-off of the smoothing of angles and forces (Hz); the source is in gait_library.cpp.
  double smoothing_cutoff_hz = 6.0;
  bool shipped = true;       ///< false: read from PULLEY_MOTION_DIR
  std::string citation;
  std::string id() const { return folder + "/" + coordinates; }
};

/// Every recording, by activity then speed.
const std::vector<GaitRecordingInfo>& gait_recordings();

/// The recorded speeds of an activity, ascending (empty for an unknown activity).
std::vector<double> recorded_speeds(std::string_view activity);

/// The recording of `activity` at `speed_m_s` (within 1e-9 m/s); InputError naming the activity,
/// the speed and the recorded speeds if there is none.
const GaitRecordingInfo& find_gait_recording(std::string_view activity, double speed_m_s);

/// The first recording of `activity` (sit-to-stand and squat have one each, at no speed);
/// InputError if there is none.
const GaitRecordingInfo& find_recording(std::string_view activity);

/// Reads a recording: from the library for a shipped one, else from PULLEY_MOTION_DIR/<folder>/
/// (InputError saying how to provide it when that is not set or lacks the files).
GaitRecording load_gait_recording(const GaitRecordingInfo& info);

}  // namespace pulley::tasks
