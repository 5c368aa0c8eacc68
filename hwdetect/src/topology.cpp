#include "ih/hwdetect/topology.hpp"

#include <hwloc.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>

namespace ih::hwdetect {

struct Topology::Impl {
  hwloc_topology_t topo = nullptr;
  TopologySummary summary;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (topo != nullptr) hwloc_topology_destroy(topo);
  }
};

namespace {

std::vector<unsigned> os_indices(hwloc_topology_t topo, hwloc_const_cpuset_t set) {
  std::vector<unsigned> pus;
  hwloc_obj_t pu = nullptr;
  while ((pu = hwloc_get_next_obj_inside_cpuset_by_type(topo, set, HWLOC_OBJ_PU, pu)) != nullptr)
    pus.push_back(pu->os_index);
  return pus;
}

unsigned count(hwloc_topology_t topo, hwloc_obj_type_t type) {
  const int n = hwloc_get_nbobjs_by_type(topo, type);
  return n > 0 ? static_cast<unsigned>(n) : 0;
}

std::optional<std::uint64_t> first_cache_size(hwloc_topology_t topo, hwloc_obj_type_t type) {
  hwloc_obj_t cache = hwloc_get_obj_by_type(topo, type, 0);
  if (cache == nullptr || cache->attr == nullptr || cache->attr->cache.size == 0) return {};
  return cache->attr->cache.size;
}

std::vector<CpuKind> cpu_kinds(hwloc_topology_t topo) {
  std::vector<CpuKind> kinds;
  const int n = hwloc_cpukinds_get_nr(topo, 0);
  hwloc_bitmap_t set = hwloc_bitmap_alloc();
  for (int i = 0; i < n; ++i) {
    CpuKind kind;
    unsigned nr_infos = 0;
    hwloc_info_s* infos = nullptr;
    if (hwloc_cpukinds_get_info(topo, static_cast<unsigned>(i), set, &kind.efficiency, &nr_infos,
                                &infos, 0) != 0)
      continue;
    for (unsigned j = 0; j < nr_infos; ++j)
      if (std::strcmp(infos[j].name, "CoreType") == 0) kind.core_type = infos[j].value;
    kind.pus = os_indices(topo, set);
    kinds.push_back(std::move(kind));
  }
  hwloc_bitmap_free(set);
  return kinds;
}

CoreInfo core_info(hwloc_topology_t topo, hwloc_obj_t core) {
  CoreInfo info;
  info.index = core->logical_index;
  if (hwloc_obj_t package = hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_PACKAGE, core))
    info.package = package->logical_index;
  info.pus = os_indices(topo, core->cpuset);
  info.kind = hwloc_cpukinds_get_by_cpuset(topo, core->cpuset, 0);
  return info;
}

TopologySummary summarize(hwloc_topology_t topo) {
  TopologySummary s;
  s.packages = count(topo, HWLOC_OBJ_PACKAGE);
  s.pus = count(topo, HWLOC_OBJ_PU);
  s.numa_nodes = count(topo, HWLOC_OBJ_NUMANODE);
  s.l2_caches = count(topo, HWLOC_OBJ_L2CACHE);
  s.l3_caches = count(topo, HWLOC_OBJ_L3CACHE);
  s.l2_bytes = first_cache_size(topo, HWLOC_OBJ_L2CACHE);
  s.l3_bytes = first_cache_size(topo, HWLOC_OBJ_L3CACHE);
  s.kinds = cpu_kinds(topo);
  // Some platforms expose no Core objects; then every PU is its own core.
  const hwloc_obj_type_t core_type =
      count(topo, HWLOC_OBJ_CORE) > 0 ? HWLOC_OBJ_CORE : HWLOC_OBJ_PU;
  for (hwloc_obj_t core = hwloc_get_next_obj_by_type(topo, core_type, nullptr); core != nullptr;
       core = hwloc_get_next_obj_by_type(topo, core_type, core)) {
    CoreInfo info = core_info(topo, core);
    if (!info.pus.empty()) s.core_list.push_back(std::move(info));
  }
  s.cores = static_cast<unsigned>(s.core_list.size());
  return s;
}

std::string errno_text() {
  return std::strerror(errno);
}

}  // namespace

Topology::Topology(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Topology::Topology(Topology&&) noexcept = default;
Topology& Topology::operator=(Topology&&) noexcept = default;
Topology::~Topology() = default;

const TopologySummary& Topology::summary() const {
  return impl_->summary;
}

bool Topology::is_this_system() const {
  return hwloc_topology_is_thissystem(impl_->topo) != 0;
}

Result<Topology> Topology::detect() {
  auto impl = std::make_unique<Impl>();
  if (hwloc_topology_init(&impl->topo) != 0)
    return make_error("hwloc could not start: " + errno_text());
  if (hwloc_topology_load(impl->topo) != 0)
    return make_error("hwloc could not read this machine's topology: " + errno_text());
  impl->summary = summarize(impl->topo);
  if (impl->summary.pus == 0) return make_error("hwloc found no processing units");
  return Topology(std::move(impl));
}

Result<Topology> Topology::from_xml(const std::string& path) {
  if (!std::ifstream(path)) return make_error("cannot read hwloc XML topology '" + path + "'");
  auto impl = std::make_unique<Impl>();
  if (hwloc_topology_init(&impl->topo) != 0)
    return make_error("hwloc could not start: " + errno_text());
  if (hwloc_topology_set_xml(impl->topo, path.c_str()) != 0 || hwloc_topology_load(impl->topo) != 0)
    return make_error("'" + path + "' is not a valid hwloc XML topology: " + errno_text());
  impl->summary = summarize(impl->topo);
  if (impl->summary.pus == 0) return make_error("'" + path + "' has no processing units");
  return Topology(std::move(impl));
}

std::optional<Error> Topology::pin_current_thread(unsigned pu) const {
  if (!is_this_system())
    return make_error("cannot pin a thread to PU " + std::to_string(pu) +
                      ": the topology was not read from this machine");
  hwloc_obj_t obj = hwloc_get_pu_obj_by_os_index(impl_->topo, pu);
  if (obj == nullptr)
    return make_error("cannot pin a thread to PU " + std::to_string(pu) +
                      ": no such PU available to this process");
  if (hwloc_set_cpubind(impl_->topo, obj->cpuset, HWLOC_CPUBIND_THREAD | HWLOC_CPUBIND_STRICT) != 0)
    return make_error("cannot pin a thread to PU " + std::to_string(pu) + ": " + errno_text());
  return std::nullopt;
}

}  // namespace ih::hwdetect
