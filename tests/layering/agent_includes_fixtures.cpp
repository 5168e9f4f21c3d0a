// The agent sees common only: the fixtures that start it are netbench's, not the agent's.
#include "fixtures/agent_channel.h"
