#include "engine/signals.hpp"

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <ctime>

namespace ih::agent {

namespace {

sigset_t control_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGHUP);  // blocked everywhere: only `proxy` acts on it (reload)
  return set;
}

}  // namespace

void block_control_signals() {
  const sigset_t set = control_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void unblock_control_signals() {
  const sigset_t set = control_signals();
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

SignalEvent wait_for_signal(std::chrono::milliseconds timeout) {
  const sigset_t set = control_signals();
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  ts.tv_nsec = static_cast<long>((timeout.count() % 1000) * 1000000);
  const int sig = sigtimedwait(&set, nullptr, &ts);
  if (sig == SIGINT || sig == SIGTERM) return SignalEvent::stop;
  if (sig == SIGUSR1) return SignalEvent::show_devices;
  if (sig == SIGHUP) return SignalEvent::reload;
  return SignalEvent::none;
}

}  // namespace ih::agent
