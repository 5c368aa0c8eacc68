// The machine's processors as hwloc sees them: packages, physical cores, hardware threads (PUs),
// caches, NUMA nodes, and on hybrid parts which cores are the fast ones.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ih/result.hpp"

namespace ih::hwdetect {

// PU numbers are OS indices: what Linux calls CPU numbers (taskset, /proc/cpuinfo "processor").
struct CoreInfo {
  unsigned index = 0;         // hwloc logical index
  unsigned package = 0;       // logical index of the package it sits in
  std::vector<unsigned> pus;  // its hardware threads, OS indices, SMT siblings in hwloc order
  int kind = -1;              // index into TopologySummary::kinds, -1 when no kinds are known
};

// A kind of core on a hybrid part (e.g. Intel P-cores and E-cores, Arm big.LITTLE).
struct CpuKind {
  int efficiency = -1;        // hwloc's ranking: higher means a faster core; -1 unknown
  std::string core_type;      // hwloc's "CoreType" info, e.g. "IntelCore"; empty when unknown
  std::vector<unsigned> pus;  // OS indices
};

struct TopologySummary {
  unsigned packages = 0;
  unsigned cores = 0;  // physical cores
  unsigned pus = 0;    // hardware threads
  unsigned numa_nodes = 0;
  unsigned l2_caches = 0;
  unsigned l3_caches = 0;
  std::optional<std::uint64_t> l2_bytes;  // size of one L2 cache, absent when unknown
  std::optional<std::uint64_t> l3_bytes;  // size of one L3 cache, absent when unknown
  std::vector<CpuKind> kinds;             // hwloc order: slowest kind first
  std::vector<CoreInfo> core_list;        // every core, hwloc logical order

  bool hybrid() const { return kinds.size() > 1; }
};

// Owns an hwloc topology. Move-only; hwloc stays out of this header.
class Topology {
 public:
  // This machine, restricted to the PUs this process may run on (cgroups, taskset).
  static Result<Topology> detect();
  // A topology saved as hwloc XML (lstopo foo.xml); for tests and for planning another machine.
  static Result<Topology> from_xml(const std::string& path);

  Topology(Topology&&) noexcept;
  Topology& operator=(Topology&&) noexcept;
  ~Topology();

  const TopologySummary& summary() const;
  // False for a topology loaded from XML: binding threads to it would bind on the wrong machine.
  bool is_this_system() const;

  // Binds the calling thread to one PU (OS index) through hwloc. Returns the error, if any.
  [[nodiscard]] std::optional<Error> pin_current_thread(unsigned pu) const;

  struct Impl;

 private:
  explicit Topology(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

[[nodiscard]] inline std::optional<Error> pin_current_thread(const Topology& topology,
                                                             unsigned pu) {
  return topology.pin_current_thread(pu);
}

}  // namespace ih::hwdetect
