# `cpack -G DEB` in a build folder makes an installable Debian package; the container image
# installs that package so apt resolves the runtime libraries (dpkg-shlibdeps).
# The .deb always installs under /usr with its config in /etc/infinite-hashes (the unit's paths),
# whatever CMAKE_INSTALL_PREFIX a plain `cmake --install` uses.
set(ih_deb_dir ${CMAKE_CURRENT_LIST_DIR}/deb)

install(FILES ${CMAKE_CURRENT_LIST_DIR}/systemd/infinite-hashes.service
        DESTINATION lib/systemd/system)
install(PROGRAMS ${ih_deb_dir}/pool-configured DESTINATION libexec/infinite-hashes)
# The default config names no pool, so the service stays off until the user sets one. A
# conffile: dpkg keeps the user's edits across upgrades.
install(FILES ${ih_deb_dir}/config.json DESTINATION /etc/infinite-hashes)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_CURRENT_LIST_DIR}/config.example.json
              ${ih_deb_dir}/copyright
        DESTINATION share/doc/infinite-hashes)

# Debian wants the changelog gzip-compressed without a timestamp (gzip -n), so builds reproduce;
# a native package (no Debian revision) names it changelog.gz.
set(ih_changelog ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz)
find_program(IH_GZIP gzip)
if(IH_GZIP)
  add_custom_command(OUTPUT ${ih_changelog}
    COMMAND ${IH_GZIP} -9 -n -c ${ih_deb_dir}/changelog > ${ih_changelog}
    DEPENDS ${ih_deb_dir}/changelog VERBATIM)
  add_custom_target(ih_deb_changelog ALL DEPENDS ${ih_changelog})
  install(FILES ${ih_changelog} DESTINATION share/doc/infinite-hashes)
endif()

set(CPACK_PACKAGE_NAME infinite-hashes)
set(CPACK_PACKAGE_VENDOR "infinite-hashes")
set(CPACK_PACKAGE_CONTACT "infinite-hashes maintainers <maintainers@infinite-hashes.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "SHA-256d mining agent for the InfiniteHash subnet (SN89)")
# The extended description under the summary: one string (a CMake list would join with ';'),
# lines under 80 characters.
string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "One binary that detects the hardware, runs the fastest SHA-256d kernel\n"
    "each device supports (CPU: SHA-NI, AVX2, AVX-512; GPU: CUDA, OpenCL),\n"
    "speaks Stratum V1 to the pool and re-checks every share on the CPU.\n"
    ".\n"
    "The systemd service starts only once /etc/infinite-hashes/config.json\n"
    "names a pool.")
set(CPACK_PACKAGE_INSTALL_DIRECTORY infinite-hashes)
set(CPACK_GENERATOR DEB TGZ)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# deb-systemd-helper/-invoke in the maintainer scripts; shlibdeps adds the shared libraries.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "init-system-helpers (>= 1.52)")
# TLS pools need the CA store; OpenCL GPUs need their vendor's ICD (the loader is a dependency).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "pocl-opencl-icd | opencl-icd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${ih_deb_dir}/conffiles ${ih_deb_dir}/postinst ${ih_deb_dir}/prerm ${ih_deb_dir}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
