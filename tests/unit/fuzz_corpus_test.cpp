// The fuzz targets' committed seeds (fuzz/corpus/, tools/make_fuzz_seeds.py) hold at least one
// valid frame of every message type, on the side that decodes it, so every decoder is reached
// from the first run; every seed decodes with netbench's own decoders.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "common/protocol.h"

namespace netbench {
namespace {

namespace fs = std::filesystem;

// The types of every frame in the seeds of one target; fails on a seed that does not decode.
void SeedTypes(const std::string& target, std::set<proto::Type>* types_out) {
  std::set<proto::Type>& types = *types_out;
  const fs::path dir = fs::path(NETBENCH_SOURCE_DIR) / "fuzz" / "corpus" / target;
  EXPECT_TRUE(fs::is_directory(dir)) << dir;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::ifstream f(e.path(), std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), {});
    std::span<const uint8_t> rest(bytes);
    while (!rest.empty()) {
      std::string error;
      ASSERT_GE(rest.size(), proto::kHeaderSize) << e.path();
      auto h = proto::DecodeHeader(rest.first(proto::kHeaderSize), &error);
      ASSERT_TRUE(h) << e.path() << ": " << error;
      rest = rest.subspan(proto::kHeaderSize);
      if (target != "frame_header") {
        ASSERT_GE(rest.size(), h->length) << e.path();
        auto again = proto::Reencode(h->type, rest.first(h->length));
        ASSERT_TRUE(again) << e.path() << ": its " << proto::TypeName(h->type) << " payload";
        EXPECT_TRUE(std::equal(again->begin(), again->end(), rest.begin())) << e.path();
        rest = rest.subspan(h->length);
      }
      types.insert(h->type);
    }
  }
}

TEST(FuzzCorpus, HoldsAValidFrameOfEveryTypeOnTheSideThatDecodesIt) {
  std::set<proto::Type> commands, replies, headers;
  SeedTypes("agent_commands", &commands);
  SeedTypes("controller_replies", &replies);
  SeedTypes("frame_header", &headers);
  for (proto::Type t : proto::AllTypes()) {
    const auto& side = proto::SentByController(t) ? commands : replies;
    EXPECT_TRUE(side.count(t)) << proto::TypeName(t) << " has no seed";
    EXPECT_TRUE(headers.count(t)) << proto::TypeName(t) << " has no header seed";
  }
}

TEST(Protocol, EveryPayloadADecoderAcceptsEncodesBackToItself) {
  const std::vector<uint8_t> text = {3, 0, 0, 0, 'a', 'b', 'c'};
  EXPECT_EQ(proto::Reencode(proto::Type::kOk, text), text);
  EXPECT_FALSE(proto::Reencode(proto::Type::kHello, text));  // hello carries nothing
  EXPECT_FALSE(proto::Reencode(proto::Type::kRun, text));
}

}  // namespace
}  // namespace netbench
