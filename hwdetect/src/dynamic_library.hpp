// A shared library opened at run time (dlopen). Lets the agent run on machines without the
// NVIDIA driver: its absence is a message, not a link error. RTLD_NODELETE keeps the code mapped
// after dlclose, because cuInit may leave driver threads running in it.
#pragma once

#include <dlfcn.h>

#include <string>

namespace ih::hwdetect {

class DynamicLibrary {
 public:
  explicit DynamicLibrary(const std::string& name)
      : handle_(::dlopen(name.c_str(), RTLD_NOW | RTLD_NODELETE)) {
    if (handle_ == nullptr) {
      const char* why = ::dlerror();
      error_ = why != nullptr ? why : "dlopen failed";
    }
  }
  DynamicLibrary(const DynamicLibrary&) = delete;
  DynamicLibrary& operator=(const DynamicLibrary&) = delete;
  ~DynamicLibrary() {
    if (handle_ != nullptr) ::dlclose(handle_);
  }

  bool loaded() const { return handle_ != nullptr; }
  const std::string& error() const { return error_; }

  // Fills `fn` with the symbol; false when the library lacks it.
  template <typename Fn>
  bool symbol(const char* name, Fn& fn) const {
    fn = reinterpret_cast<Fn>(::dlsym(handle_, name));
    return fn != nullptr;
  }

 private:
  void* handle_;
  std::string error_;
};

}  // namespace ih::hwdetect
