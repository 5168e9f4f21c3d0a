#include "common/errors.h"

#include <cerrno>
#include <cstring>

namespace netbench {

std::string ErrnoMessage(const std::string& what) { return what + ": " + std::strerror(errno); }

void ThrowErrno(const std::string& what) { throw SetupError(ErrnoMessage(what)); }

}  // namespace netbench
