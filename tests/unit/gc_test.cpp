// What gc reads from runc and /proc, as pure functions (no root, no runc).
#include "fixtures/netns/gc.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "fixtures/netns/runc/runc_container.h"

namespace netbench {
namespace {

TEST(Gc, AZombieOrADeadProcessHasExitedWhateverItsNameHolds) {
  EXPECT_TRUE(ExitedFromStat("1662 (nb-agent) Z 1 1662 1662 0 -1"));
  EXPECT_TRUE(ExitedFromStat("1662 (nb-agent) X 1 1662"));
  EXPECT_FALSE(ExitedFromStat("1662 (nb-agent) S 1 1662 1662 0 -1"));
  EXPECT_FALSE(ExitedFromStat("1662 (nb-agent) R 1 1662"));
  EXPECT_FALSE(ExitedFromStat("7 (a) Z) S 1 7")) << "the state follows the last ')'";
  EXPECT_TRUE(ExitedFromStat("7 (a) S) Z 1 7"));
  EXPECT_FALSE(ExitedFromStat("garbage"));
}

TEST(Gc, RuncsListGivesThePrefixsContainersAndOnlyARunningInitsPid) {
  const auto l = ParseRuncList(
      R"([{"id":"nb-1a2b3c-s","pid":1639,"status":"running"},
          {"id":"nb-1a2b3c-c","pid":1662,"status":"stopped"},
          {"id":"other","pid":99,"status":"running"},
          {"id":"nb-9f9f9f-s","pid":12,"status":"paused"}])",
      "nb-1a2b3c");
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].id, "nb-1a2b3c-s");
  EXPECT_EQ(l[0].pid, 1639);
  EXPECT_EQ(l[1].id, "nb-1a2b3c-c");
  EXPECT_EQ(l[1].pid, 0) << "a stopped container's pid may be someone else's now";
  EXPECT_EQ(ParseRuncList(R"([{"id":"nb-9f9f9f-s","pid":12,"status":"paused"}])", "nb-")[0].pid,
            12);
}

TEST(Gc, RuncsEmptyListIsNullAndAnythingElseIsAnError) {
  EXPECT_TRUE(ParseRuncList("null", "nb-").empty());
  EXPECT_THROW(ParseRuncList("runc: permission denied", "nb-"), SetupError);
  EXPECT_THROW(ParseRuncList(R"({"id":"nb-1"})", "nb-"), SetupError);
}

}  // namespace
}  // namespace netbench
