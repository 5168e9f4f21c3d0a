#include "bench/filter.h"

#include <gtest/gtest.h>

#include <array>
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
  const char* flag;
  // One character per kProbeNames entry, in order: 'x' when the library listed the case.
  const char* selected;
  // For a flag the library refused: what followed "Could not compile benchmark re: " on its
  // stderr (it then listed nothing and RunSpecifiedBenchmarks returned 0).
  const char* error = nullptr;
};

// What libbenchmark 1.7.1 (Debian 1.7.1-1, GCC 12 libstdc++) did for each flag.
const Observed kObserved[] = {
    // Empty and "all" (exactly) mean "."; a leading '-' negates what follows it.
    {"", "xxxxxxxx"},
    {"all", "xxxxxxxx"},
    {".", "xxxxxxxx"},
    {"ALL", "........"},
    {"All", "........"},
    {" all", "........"},
    {"all ", "........"},
    {"-", "........"},
    {"--", "xxxxxxxx"},
    {"-all", "xxxxxxxx"},
    {"-all ", "xxxxxxxx"},
    {"-.", "........"},
    {"-runc", "...xx.x."},
    {"-^runc/bridge", "...xxxxx"},
    {"-stress", "xxx.x.x."},
    {"-tcp_rr$", "xxxxxxxx"},
    {"-manual_time", "........"},
    {"-^", "........"},
    {"-$", "........"},
    {"-(", "........", "Mismatched '(' and ')' in regular expression"},
    {"-\\d", "........", "Invalid escape in regular expression"},
    // A search in the full instance name, /manual_time included.
    {"manual_time", "xxxxxxxx"},
    {"manual_time$", "xxxxxxxx"},
    {"tcp_rr/manual", "x...x.x."},
    {"rr/manual_time$", "x...x.x."},
    {"tcp_rr$", "........"},
    {"^runc/bridge/tcp_rr$", "........"},
    {"^runc/bridge/tcp_rr/manual_time$", "x......."},
    {"runc/bridge/tcp_rr/", "x......."},
    {"kata/", "...xx.x."},
    {"tcp_rr/stress", ".....x.."},
    {"runc", "xxx..x.x"},
    {"^runc", "xxx..x.x"},
    {"^kata/", "...xx.x."},
    {"stress", "...x.x.x"},
    {"streams:4", "..x....."},
    {"k.t.", "...xx.x."},
    {"KATA", "........"},
    {"DISABLED_", "........"},
    {".*", "xxxxxxxx"},
    {"^.*$", "xxxxxxxx"},
    {"^", "xxxxxxxx"},
    {"$", "xxxxxxxx"},
    {"^$", "........"},
    // ECMAScript-only syntax: escapes, (?...), backreferences do not compile; lazy
    // quantifiers parse as repeated repetition; \ in brackets is a literal.
    {"\\d", "........", "Invalid escape in regular expression"},
    {"\\d+", "........", "Invalid escape in regular expression"},
    {"streams:\\d", "........", "Invalid escape in regular expression"},
    {"\\w", "........", "Invalid escape in regular expression"},
    {"\\W", "........", "Invalid escape in regular expression"},
    {"\\s", "........", "Invalid escape in regular expression"},
    {"\\S", "........", "Invalid escape in regular expression"},
    {"\\bkata", "........", "Invalid escape in regular expression"},
    {"kata\\b", "........", "Invalid escape in regular expression"},
    {"\\Bkata", "........", "Invalid escape in regular expression"},
    {"\\B", "........", "Invalid escape in regular expression"},
    {"(?:kata)", "........", "Mismatched '(' and ')' in regular expression"},
    {"(?=kata)", "........", "Mismatched '(' and ')' in regular expression"},
    {"(?!runc)", "........", "Mismatched '(' and ')' in regular expression"},
    {"(r)un\\1", "........", "Invalid escape in regular expression"},
    {"(s)\\1", "........", "Invalid escape in regular expression"},
    {"\\x6b", "........", "Invalid escape in regular expression"},
    {"\\u006b", "........", "Invalid escape in regular expression"},
    {"\\cA", "........", "Invalid escape in regular expression"},
    {"\\t", "........", "Invalid escape in regular expression"},
    {"\\n", "........", "Invalid escape in regular expression"},
    {"\\r", "........", "Invalid escape in regular expression"},
    {"\\f", "........", "Invalid escape in regular expression"},
    {"\\v", "........", "Invalid escape in regular expression"},
    {"\\0", "........", "Invalid escape in regular expression"},
    {"\\a", "........", "Invalid escape in regular expression"},
    {".*?", "xxxxxxxx"},
    {"x*?", "xxxxxxxx"},
    {"a**", "xxxxxxxx"},
    {"a++", "xxxxxxxx"},
    {"[\\d]", "xxx....."},
    {"[\\w]", "........"},
    // Bracket expressions and POSIX classes.
    {"[0-9]", "..x....."},
    {"[[:digit:]]", "..x....."},
    {"[[:alpha:]]+:4", "..x....."},
    {"[^[:digit:]]", "xxxxxxxx"},
    {"[[:digit:][:alpha:]]", "xxxxxxxx"},
    {"[[:upper:]]", "........"},
    {"[[:punct:]]", "xxxxxxxx"},
    {"[[:word:]]", "........", "Invalid character class."},
    {"[[:foo:]]", "........", "Invalid character class."},
    {"[[.hyphen.]]", "........"},
    {"[[=a=]]", "xxxxxxxx"},
    {"[.]", "........"},
    {"[]a]", "xxxxxxxx"},
    {"[a-]", "xxxxxxxx"},
    {"[--/]", "xxxxxxxx"},
    {"[%--]", "........"},
    {"[z-a]", "........", "Invalid range in bracket expression."},
    {"[a-c-e]", "........", "Invalid location of '-' within '[...]' in POSIX regular expression"},
    {"[]", "........", "Unexpected character within '[...]' in regular expression"},
    {"[", "........", "Unexpected character within '[...]' in regular expression"},
    {"]", "........"},
    // libstdc++'s extended syntax allows \ only before . [ \ * ^ $ + ? ( ) { |.
    {"\\.", "........"},
    {"\\\\", "........"},
    {"\\(", "........"},
    {"\\)", "........"},
    {"\\{", "........"},
    {"\\}", "........", "Invalid escape in regular expression"},
    {"\\[", "........"},
    {"\\]", "........", "Invalid escape in regular expression"},
    {"\\|", "........"},
    {"\\^", "........"},
    {"\\$", "........"},
    {"\\*", "........"},
    {"\\+", "........"},
    {"\\?", "........"},
    {"\\/", "........", "Invalid escape in regular expression"},
    {"\\-", "........", "Invalid escape in regular expression"},
    {"\\:", "........", "Invalid escape in regular expression"},
    {"\\_", "........", "Invalid escape in regular expression"},
    {"\\", "........", "Invalid escape at end of regular expression"},
    {"a\\", "........", "Invalid escape at end of regular expression"},
    // Interval repetition: {n}, {n,}, {n,m}; no {,m}.
    {"a{1}", "xxxxxxxx"},
    {"s{2}", "...x.x.x"},
    {"s{2,}", "...x.x.x"},
    {"s{3}", "........"},
    {"a{1,}", "xxxxxxxx"},
    {"t{0}", "xxxxxxxx"},
    {"x{0}", "xxxxxxxx"},
    {"a{,2}", "........", "Invalid range in '{}' in regular expression"},
    {"s{,2}", "........", "Invalid range in '{}' in regular expression"},
    {"p{,1}_", "........", "Invalid range in '{}' in regular expression"},
    {"a{,}", "........", "Invalid range in '{}' in regular expression"},
    {"a{}", "........", "Invalid range in '{}' in regular expression"},
    {"a{x}", "........", "Invalid range in '{}' in regular expression"},
    {"a{2,1}", "........", "Invalid range in '{}' in regular expression"},
    {"a{1", "........", "Mismatched '{' and '}' in regular expression"},
    {"{", "........", "Mismatched '(' and ')' in regular expression"},
    {"{1}", "........", "Mismatched '(' and ')' in regular expression"},
    {"}", "........"},
    // Groups, alternation (empty branches allowed) and what does not compile.
    {"tcp_(rr|stream)", "xxxxxxxx"},
    {"runc|kata/macvlan", "xxxxxx.x"},
    {"^(runc|kata)/bridge", "xxx....."},
    {"(runc|kata)/(bridge|macvlan)/tcp_stream/stress", "...x...."},
    {"runc/(bridge|host)/tcp_rr/(stress/)?manual_time$", "x....x.."},
    {"[^/]+/[^/]+/tcp_rr/manual_time", "x...x.x."},
    {"(kata|runc)+/", "xxxxxxxx"},
    {"(^runc)", "xxx..x.x"},
    {"streams:[0-9]+", "..x....."},
    {"|kata", "xxxxxxxx"},
    {"kata|", "xxxxxxxx"},
    {"()", "xxxxxxxx"},
    {"(a|)", "xxxxxxxx"},
    {"(", "........", "Mismatched '(' and ')' in regular expression"},
    {")", "........", "Mismatched '(' and ')' in regular expression"},
    {"*", "........", "Mismatched '(' and ')' in regular expression"},
    {"+runc", "........", "Mismatched '(' and ')' in regular expression"},
    {"?", "........", "Mismatched '(' and ')' in regular expression"},
    {"a|*", "........", "Mismatched '(' and ')' in regular expression"},
    {"(*a)", "........", "Mismatched '(' and ')' in regular expression"},
};

TEST(BenchmarkFilter, SelectsWhatLibbenchmark171SelectedForEveryProbedFlag) {
  for (const Observed& o : kObserved) {
    std::string error;
    auto f = BenchmarkFilter::Compile(o.flag, &error);
    if (o.error) {
      EXPECT_FALSE(f) << "flag \"" << o.flag << "\" should not compile";
      EXPECT_EQ(error, std::string("Could not compile benchmark re: ") + o.error)
          << "flag \"" << o.flag << "\"";
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
