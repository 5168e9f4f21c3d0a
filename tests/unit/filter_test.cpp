#include "bench/filter.h"

#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <string>
#include <vector>

namespace netbench {
namespace {

// The cases the selections below were observed on: a probe program registered these names with
// UseManualTime() against Debian's libbenchmark 1.7.1 and ran it with --benchmark_list_tests
// --benchmark_filter=<flag>.
const std::array<std::string, 8> kProbeNames = {
    "runc/bridge/tcp_rr",
    "runc/bridge/tcp_stream",
    "runc/bridge/tcp_stream/streams:4",
    "kata/macvlan/tcp_stream/stress",
    "kata/macvlan/tcp_rr",
    "runc/host/tcp_rr/stress",
    "kata/overlay/tcp_rr",
    "runc/overlay/tcp_stream/stress",
};

std::vector<std::string> Selected(const BenchmarkFilter& f) {
  std::vector<std::string> out;
  for (const auto& n : kProbeNames)
    if (f.Selects(n)) out.push_back(n);
  return out;
}

BenchmarkFilter MustCompile(const std::string& flag) {
  std::string error;
  auto f = BenchmarkFilter::Compile(flag, &error);
  EXPECT_TRUE(f) << flag << ": " << error;
  return f ? *f : *BenchmarkFilter::Compile(".", nullptr);
}

struct Observed {
  std::string flag;
  // One character per kProbeNames entry, in order: 'x' when the library listed the case.
  std::string selected;
  // For a flag the library refused: what followed "Could not compile benchmark re: " on its
  // stderr (it then listed nothing and RunSpecifiedBenchmarks returned 0). "" otherwise.
  std::string error;
};

// What libbenchmark 1.7.1 did for each probed flag: tests/data/filter_libbenchmark_1.7.1.tsv.
std::vector<Observed> ReadObserved() {
  std::vector<Observed> out;
  std::ifstream f(std::string(NETBENCH_TEST_DATA) + "/filter_libbenchmark_1.7.1.tsv");
  EXPECT_TRUE(f) << "the table of probed flags is missing";
  for (std::string line; std::getline(f, line);) {
    if (line.rfind('#', 0) == 0) continue;
    std::vector<std::string> cols;
    for (size_t start = 0;;) {
      const size_t tab = line.find('\t', start);
      cols.push_back(line.substr(start, tab == std::string::npos ? tab : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    EXPECT_TRUE(cols.size() == 2 || cols.size() == 3) << line;
    if (cols.size() >= 2) out.push_back({cols[0], cols[1], cols.size() == 3 ? cols[2] : ""});
  }
  return out;
}

TEST(BenchmarkFilter, SelectsWhatLibbenchmark171SelectedForEveryProbedFlag) {
  const std::vector<Observed> observed = ReadObserved();
  EXPECT_GE(observed.size(), 100u);
  for (const Observed& o : observed) {
    std::string error;
    auto f = BenchmarkFilter::Compile(o.flag, &error);
    if (!o.error.empty()) {
      EXPECT_FALSE(f) << "flag \"" << o.flag << "\" should not compile";
      EXPECT_EQ(error, "Could not compile benchmark re: " + o.error) << "flag \"" << o.flag << "\"";
      continue;
    }
    ASSERT_TRUE(f) << "flag \"" << o.flag << "\": " << error;
    std::string mask;
    for (const auto& n : kProbeNames) mask += f->Selects(n) ? 'x' : '.';
    EXPECT_EQ(mask, o.selected) << "flag \"" << o.flag << "\"";
  }
}

TEST(BenchmarkFilter, TreatsEmptyAndAllAsEverything) {
  for (const char* flag : {"", "all"}) {
    auto f = MustCompile(flag);
    EXPECT_EQ(f.pattern(), ".");
    EXPECT_FALSE(f.negative());
    EXPECT_EQ(Selected(f).size(), kProbeNames.size()) << flag;
  }
}

TEST(BenchmarkFilter, RecognisesAllOnlyWhenExact) {
  for (const char* flag : {"ALL", " all", "all "}) {
    EXPECT_EQ(MustCompile(flag).pattern(), flag);
    EXPECT_TRUE(Selected(MustCompile(flag)).empty()) << flag;
  }
}

TEST(BenchmarkFilter, NegatesWithALeadingDash) {
  auto f = MustCompile("-runc");
  EXPECT_TRUE(f.negative());
  EXPECT_EQ(f.pattern(), "runc");
  EXPECT_EQ(Selected(f), (std::vector<std::string>{"kata/macvlan/tcp_stream/stress",
                                                   "kata/macvlan/tcp_rr", "kata/overlay/tcp_rr"}));
  EXPECT_EQ(Selected(MustCompile("-stress")),
            (std::vector<std::string>{"runc/bridge/tcp_rr", "runc/bridge/tcp_stream",
                                      "runc/bridge/tcp_stream/streams:4", "kata/macvlan/tcp_rr",
                                      "kata/overlay/tcp_rr"}));
}

TEST(BenchmarkFilter, ChecksForAllBeforeStrippingTheDash) {
  // "-all" is the negation of the literal "all", which no name contains: everything runs.
  auto f = MustCompile("-all");
  EXPECT_TRUE(f.negative());
  EXPECT_EQ(f.pattern(), "all");
  EXPECT_EQ(Selected(f).size(), kProbeNames.size());
  // "-" negates the empty pattern, which every name contains: nothing runs.
  EXPECT_TRUE(Selected(MustCompile("-")).empty());
  EXPECT_EQ(MustCompile("-").pattern(), "");
  // Only one dash is stripped: "--" negates "-", which no name contains.
  EXPECT_EQ(Selected(MustCompile("--")).size(), kProbeNames.size());
  EXPECT_TRUE(Selected(MustCompile("-.")).empty());
}

TEST(BenchmarkFilter, SearchesRatherThanMatchingTheWholeName) {
  EXPECT_EQ(Selected(MustCompile("tcp_rr/stress")),
            (std::vector<std::string>{"runc/host/tcp_rr/stress"}));
  EXPECT_EQ(Selected(MustCompile("k.t.")).size(), 3u);
  EXPECT_EQ(Selected(MustCompile("bridge")).size(), 3u);
}

TEST(BenchmarkFilter, MatchesTheInstanceNameWithItsManualTimeSuffix) {
  EXPECT_EQ(Selected(MustCompile("manual_time$")).size(), kProbeNames.size());
  EXPECT_TRUE(Selected(MustCompile("^runc/bridge/tcp_rr$")).empty());
  EXPECT_TRUE(Selected(MustCompile("tcp_rr$")).empty());
  EXPECT_EQ(Selected(MustCompile("^runc/bridge/tcp_rr/manual_time$")),
            (std::vector<std::string>{"runc/bridge/tcp_rr"}));
  // A trailing '/' tells runc/bridge/tcp_rr from runc/bridge/tcp_rr_whatever.
  EXPECT_EQ(Selected(MustCompile("runc/bridge/tcp_rr/")),
            (std::vector<std::string>{"runc/bridge/tcp_rr"}));
}

TEST(BenchmarkFilter, SelectsAnInstanceByTheNameGoogleBenchmarkPrints) {
  auto f = MustCompile("^kata/macvlan/tcp_rr/manual_time$");
  EXPECT_TRUE(f.SelectsInstance("kata/macvlan/tcp_rr/manual_time"));
  EXPECT_FALSE(f.SelectsInstance("kata/macvlan/tcp_rr"));
  EXPECT_EQ(
      f.Selects("kata/macvlan/tcp_rr"),
      f.SelectsInstance("kata/macvlan/tcp_rr" + std::string(BenchmarkFilter::kManualTimeSuffix)));
}

TEST(BenchmarkFilter, UsesPosixExtendedSyntaxNotEcmascript) {
  std::string error;
  for (const char* flag : {"\\d", "\\w", "\\s", "\\bkata", "(?:kata)", "(?!runc)", "(r)un\\1",
                           "a{,2}", "\\/", "\\-"}) {
    error.clear();
    EXPECT_FALSE(BenchmarkFilter::Compile(flag, &error)) << flag;
    EXPECT_FALSE(error.empty()) << flag;
  }
  EXPECT_EQ(Selected(MustCompile("[[:digit:]]")),
            (std::vector<std::string>{"runc/bridge/tcp_stream/streams:4"}));
  EXPECT_EQ(Selected(MustCompile("streams:[0-9]+")),
            (std::vector<std::string>{"runc/bridge/tcp_stream/streams:4"}));
  // Inside brackets a backslash is itself: [\d] is '\' or 'd' (bridge), not a digit.
  EXPECT_EQ(Selected(MustCompile("[\\d]")),
            (std::vector<std::string>{"runc/bridge/tcp_rr", "runc/bridge/tcp_stream",
                                      "runc/bridge/tcp_stream/streams:4"}));
  // Escaped specials are literals.
  EXPECT_TRUE(Selected(MustCompile("\\.")).empty());
  EXPECT_TRUE(MustCompile("a\\.b").SelectsInstance("a.b"));
  EXPECT_FALSE(MustCompile("a\\.b").SelectsInstance("axb"));
}

TEST(BenchmarkFilter, RejectsAnInvalidPatternWithTheLibrarysMessage) {
  std::string error;
  EXPECT_FALSE(BenchmarkFilter::Compile("(", &error));
  EXPECT_EQ(error, "Could not compile benchmark re: Mismatched '(' and ')' in regular expression");
  error.clear();
  EXPECT_FALSE(BenchmarkFilter::Compile("-(", &error));  // negating does not rescue it
  EXPECT_EQ(error, "Could not compile benchmark re: Mismatched '(' and ')' in regular expression");
  EXPECT_FALSE(BenchmarkFilter::Compile("[", nullptr));  // error is optional
}

TEST(BenchmarkFilter, NeverSelectsDisabledNames) {
  EXPECT_FALSE(MustCompile("").Selects("DISABLED_runc/bridge/tcp_rr"));
  EXPECT_FALSE(MustCompile("-kata").Selects("DISABLED_runc/bridge/tcp_rr"));
  EXPECT_FALSE(MustCompile("DISABLED_").Selects("DISABLED_runc/bridge/tcp_rr"));
  EXPECT_TRUE(MustCompile("DISABLED_").Selects("runc/DISABLED_/tcp_rr"));
}

TEST(BenchmarkFilter, IsCaseSensitive) {
  EXPECT_TRUE(Selected(MustCompile("KATA")).empty());
  EXPECT_EQ(Selected(MustCompile("kata")).size(), 3u);
}

}  // namespace
}  // namespace netbench
