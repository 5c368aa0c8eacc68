// SIGINT/SIGTERM/SIGUSR1/SIGHUP handled synchronously: blocked in every thread (call before
// starting any), then waited for by the main loop.
#pragma once

#include <chrono>

namespace ih::agent {

enum class SignalEvent { none, stop, show_devices, reload };

void block_control_signals();
void unblock_control_signals();
// Waits up to `timeout` for one of the blocked signals.
SignalEvent wait_for_signal(std::chrono::milliseconds timeout);

}  // namespace ih::agent
