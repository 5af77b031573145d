#include "pulley/core/error.hpp"

#include <cstdio>
#include <cstdlib>

namespace pulley::internal {

void demand_failed(const char* condition, const char* file, int line, const char* message) {
  std::fprintf(stderr, "pulley: internal error at %s:%d: %s (%s)\n", file, line, message,
               condition);
  std::abort();
}

}  // namespace pulley::internal
