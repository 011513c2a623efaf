// Reads the flat config object that src/native-plane.ts builds from a
// DataPlanePlan and the options. TypeScript validated it; this only checks
// types so a wrong call throws instead of crashing.
#pragma once

#include <napi.h>

#include <optional>
#include <string>

#include "../io/data_plane.h"

namespace cassdl::binding {

/** Fills `out`; on a wrong field returns its name and what was expected. */
std::optional<std::string> readPlaneConfig(const Napi::Object& object, io::PlaneConfig& out);

}  // namespace cassdl::binding
