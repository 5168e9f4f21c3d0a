#include <gtest/gtest.h>

#include "common/text.h"
#include "fixtures/netns/kata/guest_image.h"

namespace netbench {
namespace {

TEST(GuestCache, KeepsTheMostRecentlyUsedGuestsAndRemovesTheRest) {
  std::vector<GuestDir> dirs = {{"agent-a", 10}, {"agent-b", 40}, {"agent-c", 20}, {"agent-d", 30}};
  EXPECT_EQ(GuestDirsToPrune(dirs, "agent-b", 2), (std::vector<std::string>{"agent-c", "agent-a"}));
  EXPECT_TRUE(GuestDirsToPrune(dirs, "agent-b", 4).empty());
}

TEST(GuestCache, NeverRemovesTheGuestInUseEvenWhenItLooksOldest) {
  // Its time is set after the build; a clock step or a failed touch must not cost it.
  std::vector<GuestDir> dirs = {{"agent-new", 5}, {"agent-x", 50}, {"agent-y", 60}};
  const auto pruned = GuestDirsToPrune(dirs, "agent-new", 1);
  EXPECT_EQ(pruned, (std::vector<std::string>{"agent-y", "agent-x"}));
  EXPECT_EQ(GuestDirsToPrune(dirs, "agent-new", 0).size(), 2u)
      << "keep 0 still keeps the one in use";
}

TEST(GuestCache, AnAgentsKeyIsItsBytesFnv1a) {
  EXPECT_EQ(ContentHash(""), "cbf29ce484222325");   // FNV-1a 64's offset basis
  EXPECT_EQ(ContentHash("a"), "af63dc4c8601ec8c");  // its published test vector
  EXPECT_NE(ContentHash("agent 1"), ContentHash("agent 2"));
}

}  // namespace
}  // namespace netbench
