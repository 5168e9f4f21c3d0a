#include "bench/variants.h"

#include <algorithm>

#include "common/errors.h"
#include "common/text.h"

namespace netbench {

std::vector<std::pair<std::string, std::string>> VariantParams(const Variant& v) {
  std::vector<std::pair<std::string, std::string>> p;
  if (v.streams != 1) p.emplace_back("streams", std::to_string(v.streams));
  if (v.poll == proto::Poll::kBusy) p.emplace_back("poll", "busy");
  return p;
}

std::optional<Variant> ParseVariant(const std::vector<std::pair<std::string, std::string>>& params,
                                    std::string* error) {
  Variant v;
  for (const auto& [key, value] : params) {
    if (key == "streams" && !value.empty() &&
        value.find_first_not_of("0123456789") == std::string::npos && value.size() <= 3 &&
        std::stoul(value) >= 1 && std::stoul(value) <= proto::kMaxStreams) {
      v.streams = static_cast<uint32_t>(std::stoul(value));
    } else if (key == "poll" && value == "busy") {
      v.poll = proto::Poll::kBusy;
    } else {
      *error = "no variant " + key + ":" + value + " (streams:1.." +
               std::to_string(proto::kMaxStreams) + ", poll:busy)";
      return std::nullopt;
    }
  }
  return v;
}

proto::DataConfig Apply(const Variant& v, proto::DataConfig data) {
  data.streams = static_cast<uint8_t>(v.streams);
  data.poll = v.poll;
  return data;
}

bool Accepts(const TestSpec& t, const Variant& v) {
  if (t.work != Work::kAgentLoop) return v == Variant{};
  proto::DataConfig d;
  d.mode = t.mode;
  d.msg_size = t.mode == proto::Mode::kUdpRR ? 64 : d.msg_size;
  return !proto::Validate(Apply(v, d));
}

std::vector<Variant> VariantsFor(const TestSpec& t, const VariantChoices& choices) {
  std::vector<uint32_t> streams;
  for (uint32_t s : choices.streams)
    if (Accepts(t, Variant{s, proto::Poll::kBlocking})) streams.push_back(s);
  if (streams.empty()) streams = {1};
  std::vector<proto::Poll> polls;
  for (proto::Poll p : choices.polls)
    if (Accepts(t, Variant{1, p})) polls.push_back(p);
  if (polls.empty()) polls = {proto::Poll::kBlocking};
  std::vector<Variant> out;
  for (uint32_t s : streams)
    for (proto::Poll p : polls)
      if (Variant v{s, p}; Accepts(t, v) && std::find(out.begin(), out.end(), v) == out.end())
        out.push_back(v);
  return out;
}

std::string LoadSkipReason(const Variant& v, const std::string& load) {
  if (v.poll == proto::Poll::kBusy && load != "idle")
    return "busy polling is measured idle only: a spinning server and stress-ng sharing its CPU "
           "measure the scheduler, not the path";
  return "";
}

std::string BusyPollLabel(const proto::DataConfig& data, uint64_t napi_id, uint64_t busy_poll_us) {
  if (data.poll != proto::Poll::kBusy) return "";
  if (napi_id == 0)
    return "busy poll: spinning recv, napi_id 0 (no NAPI on this path: no SO_BUSY_POLL)";
  if (busy_poll_us == 0)
    return "busy poll: spinning recv, napi_id " + std::to_string(napi_id) +
           " (SO_BUSY_POLL refused)";
  return "busy poll: spinning recv, napi_id " + std::to_string(napi_id) + ", SO_BUSY_POLL " +
         std::to_string(busy_poll_us) + " us";
}

std::vector<uint32_t> ParseStreams(const std::string& csv) {
  std::vector<uint32_t> out;
  for (std::string_view item : SplitView(csv, ',')) {
    const std::string s(item);
    const bool digits = !s.empty() && s.size() <= 3 && s.find_first_not_of("0123456789") == s.npos;
    const unsigned long n = digits ? std::stoul(s) : 0;
    if (n < 1 || n > proto::kMaxStreams)
      throw UsageError("--streams: '" + s + "' is not a number of connections (1.." +
                       std::to_string(proto::kMaxStreams) + ", comma separated)");
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(static_cast<uint32_t>(n));
  }
  return out;
}

std::vector<uint32_t> StreamsNamedIn(const std::string& filter) {
  std::vector<uint32_t> out;
  const std::string key = "streams:";
  for (size_t at = filter.find(key); at != std::string::npos; at = filter.find(key, at + 1)) {
    size_t end = at + key.size();
    uint32_t n = 0;
    while (end < filter.size() && end - at - key.size() < 3 && filter[end] >= '0' &&
           filter[end] <= '9')
      n = n * 10 + static_cast<uint32_t>(filter[end++] - '0');
    if (n >= 1 && n <= proto::kMaxStreams && std::find(out.begin(), out.end(), n) == out.end())
      out.push_back(n);
  }
  return out;
}

proto::Poll PollFromName(const std::string& name) {
  return name == "busy" ? proto::Poll::kBusy : proto::Poll::kBlocking;
}

}  // namespace netbench
