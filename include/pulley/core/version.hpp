#pragma once

#include <string_view>

namespace pulley {

/// Version of the Pulley library and program (semantic versioning).
std::string_view version();

/// Version of the JSON result schema written by the io module (see docs/file-formats.md).
inline constexpr int kResultSchemaVersion = 1;

}  // namespace pulley
