#include "opencl/opencl_child_probe.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

namespace ih::kernels::opencl {

namespace {

// The child's answer: length-prefixed fields ("<bytes>:<text>"), a device per "D" record.
void put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

std::string encode(const OpenClDiscovery& found) {
  std::string out;
  for (const OpenClDevice& d : found.devices) {
    put(out, "D");
    for (unsigned number :
         {d.platform_index, d.device_index, d.compute_units, static_cast<unsigned>(d.is_cpu)})
      put(out, std::to_string(number));
    for (const std::string* text : {&d.name, &d.vendor, &d.platform_name, &d.platform_version,
                                    &d.device_version, &d.driver_version})
      put(out, *text);
  }
  put(out, "P");
  put(out, found.problems);
  return out;
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool next(std::string& field) {
    const std::size_t colon = in_.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 9) return false;
    std::size_t size = 0;
    for (char c : in_.substr(0, colon)) {
      if (c < '0' || c > '9') return false;
      size = size * 10 + static_cast<std::size_t>(c - '0');
    }
    if (in_.size() - colon - 1 < size) return false;
    field.assign(in_.substr(colon + 1, size));
    in_.remove_prefix(colon + 1 + size);
    return true;
  }
  bool number(unsigned& value) {
    std::string field;
    if (!next(field) || field.empty() || field.size() > 9) return false;
    value = 0;
    for (char c : field) {
      if (c < '0' || c > '9') return false;
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    return true;
  }
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

bool decode(std::string_view in, OpenClDiscovery& found) {
  Reader reader(in);
  std::string tag;
  while (reader.next(tag)) {
    if (tag == "P") return reader.next(found.problems) && reader.done();
    if (tag != "D") return false;
    OpenClDevice d;
    unsigned is_cpu = 0;
    if (!reader.number(d.platform_index) || !reader.number(d.device_index) ||
        !reader.number(d.compute_units) || !reader.number(is_cpu))
      return false;
    d.is_cpu = is_cpu != 0;
    for (std::string* text : {&d.name, &d.vendor, &d.platform_name, &d.platform_version,
                              &d.device_version, &d.driver_version})
      if (!reader.next(*text)) return false;
    found.devices.push_back(std::move(d));
  }
  return false;
}

OpenClDiscovery failed(const std::string& why) {
  OpenClDiscovery found;
  found.problems = "OpenCL probe: " + why;
  return found;
}

}  // namespace

OpenClDiscovery discover_opencl_devices_in_child() {
  int fds[2];
  if (::pipe(fds) != 0) return failed(std::string("pipe: ") + std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return failed(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::close(fds[0]);
    const std::string answer = encode(discover_opencl_devices());
    std::size_t sent = 0;
    while (sent < answer.size()) {
      const ssize_t n = ::write(fds[1], answer.data() + sent, answer.size() - sent);
      if (n <= 0) ::_exit(1);
      sent += static_cast<std::size_t>(n);
    }
    ::_exit(0);  // no atexit handlers, no static destructors: the parent owns those
  }
  ::close(fds[1]);
  std::string answer;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n > 0) {
      answer.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status))
    return failed("the OpenCL driver crashed while listing devices (signal " +
                  std::to_string(WTERMSIG(status)) + ")");
  OpenClDiscovery found;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !decode(answer, found))
    return failed("the child process listing devices gave no usable answer");
  return found;
}

}  // namespace ih::kernels::opencl
