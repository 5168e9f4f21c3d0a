#include "bench/result_file.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/errors.h"

namespace netbench {

bool InsertContext(std::string* json,
                   const std::vector<std::pair<std::string, std::string>>& entries) {
  // Google Benchmark 1.7.1's JSONReporter ends its context object with exactly this.
  static constexpr std::string_view kContextEnd = "\n  },\n  \"benchmarks\": [";
  const auto at = json->find(kContextEnd);
  if (at == std::string::npos) return false;
  std::string add;
  for (const auto& [k, v] : entries) add += ",\n    " + JsonString(k) + ": " + JsonString(v);
  json->insert(at, add);
  return true;
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

ResultFile::ResultFile(std::string path) : path_(std::move(path)) {
  json_.SetOutputStream(&buf_);
  json_.SetErrorStream(&buf_);
  if (path_.empty()) return;
  const std::filesystem::path p(path_);
  temp_ = (p.parent_path() /
           ("." + p.filename().string() + ".netbench-" + std::to_string(::getpid()) + ".tmp"))
              .string();
}

bool ResultFile::ReportContext(const Context& context) {
  if (context_done_) return true;
  context_done_ = true;
  return json_.ReportContext(context);
}

void ResultFile::NoteErrors(const std::vector<Run>& runs) {
  for (const Run& r : runs) {
    if (!r.error_occurred) continue;
    const std::string name = r.run_name.function_name;
    if (std::none_of(errored_.begin(), errored_.end(),
                     [&](const auto& e) { return e.first == name; }))
      errored_.emplace_back(name, r.error_message);
  }
}

void ResultFile::ReportRuns(const std::vector<Run>& runs) {
  NoteErrors(runs);
  // Google Benchmark's JSON writes a non-finite number as NaN or Infinity, which JSON has not
  // (a counter's _cv aggregate is 0/0 when every repetition counted 0): such a value is left
  // out, so strict parsers read the file too.
  std::vector<Run> finite = runs;
  for (Run& r : finite)
    std::erase_if(r.counters, [](const auto& kv) { return !std::isfinite(kv.second.value); });
  json_.ReportRuns(finite);
}

void ResultFile::AddAbandoned(const std::string& case_name, int64_t family_index, int repetitions,
                              const std::string& reason) {
  std::vector<Run> runs;
  for (int i = 0; i < repetitions; ++i) {
    Run r;
    r.run_name.function_name = case_name;
    r.run_name.time_type = "manual_time";
    r.family_index = family_index;
    r.per_family_instance_index = 0;
    r.error_occurred = true;
    r.error_message = reason;
    r.iterations = 0;
    r.repetition_index = i;
    r.repetitions = repetitions;
    r.time_unit = benchmark::kMicrosecond;
    runs.push_back(r);
  }
  ReportRuns(runs);
}

void ResultFile::Commit(const std::vector<std::pair<std::string, std::string>>& late_context) {
  json_.Finalize();
  if (path_.empty()) return;
  std::string text = buf_.str();
  InsertContext(&text, late_context);
  {
    std::ofstream f(temp_, std::ios::trunc);
    f << text;
    f.flush();
    if (!f) {
      std::remove(temp_.c_str());
      throw SetupError("cannot write " + temp_);
    }
  }
  if (std::rename(temp_.c_str(), path_.c_str()) != 0) {
    std::remove(temp_.c_str());
    ThrowErrno("rename " + temp_ + " to " + path_);
  }
}

}  // namespace netbench
