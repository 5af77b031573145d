// Error channels of Pulley:
//  - programmer bugs: PULLEY_DEMAND aborts with file, line and condition;
//  - bad user input: InputError, whose message names the file, key or line, the value and what is
//    allowed, in one line;
//  - numerical outcomes: returned statuses (e.g. tasks::SolveStatus), never exceptions or NaN.
#pragma once

#include <stdexcept>
#include <string>

namespace pulley {

/// Bad user input (a subject file, a command-line value). The message is one line that names the
/// source (file, key or line), the offending value and what is allowed.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

namespace internal {
[[noreturn]] void demand_failed(const char* condition, const char* file, int line,
                                const char* message);
}  // namespace internal

}  // namespace pulley

/// Always-on check for programmer errors (broken invariants), in Release too.
#define PULLEY_DEMAND(condition, message)                                           \
  do {                                                                              \
    if (!(condition)) ::pulley::internal::demand_failed(#condition, __FILE__, __LINE__, \
                                                        message);                  \
  } while (false)
