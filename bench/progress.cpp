#include "bench/progress.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace netbench {

std::string Clock(double seconds) {
  const auto s = static_cast<long>(std::lround(std::max(0.0, seconds)));
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

std::string CaseLine(size_t k, size_t n, const std::string& name, double elapsed_s,
                     std::optional<double> left_s) {
  std::string line = fmt::format("[{}/{}] {} ({} so far", k, n, name, Clock(elapsed_s));
  if (left_s) line += ", about " + Clock(*left_s) + " left";
  return line + ")";
}

Progress::Progress(std::vector<std::string> cases, int repetitions, bool quiet, bool live,
                   std::FILE* out)
    : cases_(std::move(cases)), repetitions_(repetitions), quiet_(quiet), live_(live), out_(out) {}

void Progress::Repetition(const std::string& case_name, int rep) {
  if (quiet_) return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (!seen_[case_name]) {
    seen_[case_name] = true;
    ++started_;
    std::optional<double> left;
    if (started_ > 1)  // the cases done so far set the pace
      left = elapsed / static_cast<double>(started_ - 1) *
             static_cast<double>(cases_.size() - started_ + 1);
    ClearLine();
    std::fprintf(out_, "%s\n", CaseLine(started_, cases_.size(), case_name, elapsed, left).c_str());
  }
  if (live_) {
    std::fprintf(out_, "\r\033[K  %s: repetition %d/%d", case_name.c_str(), rep, repetitions_);
    line_shown_ = true;
  }
  std::fflush(out_);
}

void Progress::Skip(const std::string& case_name) {
  if (!seen_[case_name]) ++started_;
  seen_[case_name] = true;
}

void Progress::ClearLine() {
  if (!line_shown_) return;
  std::fprintf(out_, "\r\033[K");
  std::fflush(out_);
  line_shown_ = false;
}

bool NetbenchConsole::ReportContext(const Context& context) {
  if (context_done_) return true;
  context_done_ = true;
  progress_->ClearLine();
  return ConsoleReporter::ReportContext(context);
}

void NetbenchConsole::ReportRuns(const std::vector<Run>& runs) {
  progress_->ClearLine();
  ConsoleReporter::ReportRuns(runs);
  std::fflush(stdout);
}

}  // namespace netbench
