#pragma once
// Set once netbench is shutting down on a signal: from then on, nothing new may be created
// (a process, a namespace), so the cleanup that runs concurrently cannot be outrun.

namespace netbench {

void RequestStop();
bool StopRequested();
// Throws SetupError("netbench is stopping") once a stop was requested, except in the thread
// that does the cleanup (it runs runc to remove containers).
void ThrowIfStopping();
// Marks the calling thread as that cleanup thread.
void ExemptThisThreadFromStop();

}  // namespace netbench
