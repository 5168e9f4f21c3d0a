#pragma once
// Two kinds of failure: the user's input (exit 2, one line, nothing set up) and the machine's
// (a setup step failed: the case errors, or the command exits 1).

#include <stdexcept>
#include <string>

namespace netbench {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "what: strerror(errno)"
std::string ErrnoMessage(const std::string& what);
[[noreturn]] void ThrowErrno(const std::string& what);

}  // namespace netbench
