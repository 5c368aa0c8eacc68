#include "ih/hwdetect/machine_report.hpp"

namespace ih::hwdetect {

void attach_gpu_health(MachineReport& report, const GpuHealthMonitor& monitor) {
  report.nvml.available = monitor.available();
  report.nvml.reason = monitor.reason();
  report.nvml.driver_version = monitor.driver_version();
  const std::vector<GpuHealthSample> samples = monitor.sample();
  for (CudaDevice& device : report.cuda.devices) device.health = health_for(samples, device.uuid);
}

MachineReport detect_machine(const DetectOptions& options) {
  MachineReport report;
  report.cpu = detect_cpu();
  auto topology = Topology::detect();
  if (topology) {
    report.topology = topology->summary();
    auto plan = plan_threads(*topology, options.threads, options.cpu_affinity);
    if (plan)
      report.thread_plan = std::move(*plan);
    else
      report.thread_plan_error = plan.error().message;
  } else {
    report.topology_error = topology.error().message;
    report.thread_plan_error = "no topology to plan threads on";
  }
  report.cuda = detect_cuda(options.cuda_library);
  report.opencl = detect_opencl();
  const GpuHealthMonitor monitor(options.nvml_library);
  attach_gpu_health(report, monitor);
  return report;
}

}  // namespace ih::hwdetect
