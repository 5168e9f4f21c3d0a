#include "bench/time_ledger.h"

#include <fmt/format.h>

#include <algorithm>

namespace netbench {
namespace {

constexpr std::array<const char*, kSpentParts> kNames = {
    "measuring",  "repetition_overhead", "iteration_search", "warmup",  "stress",
    "testbed_up", "testbed_down",        "vm_boot",          "retries", "prepare"};
constexpr std::array<const char*, kSpentParts> kShown = {"measuring",
                                                         "repetition overhead",
                                                         "iteration search",
                                                         "warm-up",
                                                         "stressor start, settle and stop",
                                                         "testbeds up",
                                                         "testbeds down",
                                                         "VM boots",
                                                         "retries",
                                                         "backend preparation"};

size_t Index(Spent p) { return static_cast<size_t>(p); }

}  // namespace

double TimeBreakdown::accounted_s() const {
  double sum = 0;
  for (double s : part_s) sum += s;
  return sum;
}

double TimeBreakdown::other_s() const { return std::max(0.0, wall_s - accounted_s()); }

double TimeBreakdown::measuring_share() const {
  return wall_s > 0 ? (*this)[Spent::kMeasuring] / wall_s : 0;
}

void TimeLedger::Add(Spent part, double seconds) {
  part_s_[Index(part)] += seconds;
  if (part == Spent::kTestbedDown && seconds > 0) downs_s_.push_back(seconds);
}

TimeBreakdown TimeLedger::Breakdown(double wall_s) const {
  return TimeBreakdown{wall_s, part_s_, downs_s_};
}

TimeLedger::Scope::~Scope() {
  if (!ledger_) return;
  const std::chrono::duration<double> d = std::chrono::steady_clock::now() - t0_;
  ledger_->Add(part_, d.count());
}

std::array<double, kSpentParts> AttributeAttempt(AttemptFate fate, double wall_s, double manual_s,
                                                 const std::array<double, kSpentParts>& inside) {
  std::array<double, kSpentParts> add{};
  double inside_s = 0;
  for (double s : inside) inside_s += s;
  const double own = std::max(0.0, wall_s - inside_s);
  switch (fate) {
    case AttemptFate::kReported: {
      const double measured = std::min(manual_s, own);
      add[Index(Spent::kMeasuring)] = measured;
      add[Index(Spent::kRepetitionOverhead)] = own - measured;
      break;
    }
    case AttemptFate::kSearch:
      // The stressor was started and stopped for a run nobody keeps: the search's.
      add[Index(Spent::kIterationSearch)] = own + inside[Index(Spent::kStress)];
      add[Index(Spent::kStress)] = -inside[Index(Spent::kStress)];
      break;
    case AttemptFate::kFailed:
      add[Index(Spent::kRetries)] = own;
      break;
  }
  return add;
}

std::string FormatBreakdown(const TimeBreakdown& b) {
  std::vector<std::pair<double, std::string>> waiting;
  for (size_t i = 1; i < kSpentParts; ++i)  // [0] is measuring
    if (b.part_s[i] >= 0.05) waiting.emplace_back(b.part_s[i], kShown[i]);
  if (b.other_s() >= 0.05) waiting.emplace_back(b.other_s(), "other");
  std::sort(waiting.begin(), waiting.end(),
            [](const auto& x, const auto& y) { return x.first > y.first; });
  const auto share = [&](double s) { return b.wall_s > 0 ? 100 * s / b.wall_s : 0.0; };
  std::string out = fmt::format("netbench: time: {:.1f} s; measuring {:.1f} s ({:.1f}%)", b.wall_s,
                                b[Spent::kMeasuring], share(b[Spent::kMeasuring]));
  for (const auto& [s, name] : waiting)
    out += fmt::format("; {} {:.1f} s ({:.1f}%)", name, s, share(s));
  return out;
}

std::vector<std::pair<std::string, std::string>> BreakdownContext(const TimeBreakdown& b) {
  std::vector<std::pair<std::string, std::string>> out;
  out.emplace_back("time_wall_s", fmt::format("{:.3f}", b.wall_s));
  for (size_t i = 0; i < kSpentParts; ++i)
    out.emplace_back(fmt::format("time_{}_s", kNames[i]), fmt::format("{:.3f}", b.part_s[i]));
  out.emplace_back("time_other_s", fmt::format("{:.3f}", b.other_s()));
  out.emplace_back("time_measuring_share", fmt::format("{:.4f}", b.measuring_share()));
  std::string downs;
  for (double s : b.testbed_downs_s) downs += fmt::format("{}{:.4f}", downs.empty() ? "" : ",", s);
  out.emplace_back("time_testbed_downs_s", downs);
  return out;
}

}  // namespace netbench
