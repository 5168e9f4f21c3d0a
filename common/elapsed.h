#pragma once
// Wall time since a steady-clock reading, in seconds: how setup steps and runs are timed.

#include <chrono>

namespace netbench {

inline double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace netbench
