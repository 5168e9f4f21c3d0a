#pragma once
// Where a run's wall time goes. Each activity is timed once, where it happens (the session's
// testbed, warm-up and stressor; a case's repetitions), and the run's wall time less their sum
// is "other" (choosing cases, the context, Google Benchmark's reporting). A repetition's own
// time is what is left of it after the activities it contained: its measured samples (the
// manual time Google Benchmark adds up) are "measuring", the rest of it "repetition overhead"
// (the run command, the samples' upload, the CPU meters). The whole of a run Google Benchmark
// discards (its iteration search) is "iteration search", and of a failed one "retries". The
// backend's preparation before any case (the kata guest image checked, or rebuilt for another
// agent binary; a Docker agent image) is "prepare".

#include <array>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace netbench {

enum class Spent {
  kMeasuring,
  kRepetitionOverhead,
  kIterationSearch,
  kWarmup,
  kStress,
  kTestbedUp,
  kTestbedDown,
  kVmBoot,
  kRetries,
  kPrepare,
};
inline constexpr size_t kSpentParts = 10;

struct TimeBreakdown {
  double wall_s = 0;
  std::array<double, kSpentParts> part_s{};
  std::vector<double> testbed_downs_s;  // each testbed's teardown, in order

  double operator[](Spent p) const { return part_s[static_cast<size_t>(p)]; }
  double accounted_s() const;
  // wall less every part; never below 0.
  double other_s() const;
  // measuring / wall; 0 for an empty run.
  double measuring_share() const;
};

class TimeLedger {
 public:
  // A positive kTestbedDown is also one teardown's time (testbed_downs_s).
  void Add(Spent part, double seconds);
  // The parts so far: an attempt reads them before and after itself (AttributeAttempt).
  const std::array<double, kSpentParts>& parts() const { return part_s_; }
  TimeBreakdown Breakdown(double wall_s) const;

  // Adds the time from its construction to its end to `part` (nothing for a null ledger).
  class Scope {
   public:
    Scope(TimeLedger* ledger, Spent part) : ledger_(ledger), part_(part) {}
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    ~Scope();

   private:
    TimeLedger* ledger_;
    Spent part_;
    std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
  };

 private:
  std::array<double, kSpentParts> part_s_{};
  std::vector<double> downs_s_;
};

// How one repetition's attempt ended: reported by Google Benchmark, discarded by its
// iteration search, or failed.
enum class AttemptFate { kReported, kSearch, kFailed };

// The parts to add for one attempt that took wall_s, during which the ledger's parts grew by
// `inside` (its testbed, warm-up, stressor), and whose samples add up to manual_s. A search
// run's stressor start and stop are the search's; a failed attempt's own time is a retry's.
std::array<double, kSpentParts> AttributeAttempt(AttemptFate fate, double wall_s, double manual_s,
                                                 const std::array<double, kSpentParts>& inside);

// The run's breakdown for stderr: one line, the largest parts first, each with its share.
std::string FormatBreakdown(const TimeBreakdown& b);
// For the JSON context: time_wall_s, time_<part>_s, time_other_s, time_measuring_share, and
// time_testbed_downs_s (each teardown's seconds, comma-separated).
std::vector<std::pair<std::string, std::string>> BreakdownContext(const TimeBreakdown& b);

}  // namespace netbench
