# `cpack -G DEB` in a build folder makes an installable Debian package; the container image
# installs that package so apt resolves the runtime libraries (dpkg-shlibdeps).
install(FILES ${CMAKE_CURRENT_LIST_DIR}/systemd/infinite-hashes.service
        DESTINATION lib/systemd/system)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/config.example.json
        DESTINATION share/doc/infinite-hashes)

set(CPACK_PACKAGE_NAME infinite-hashes)
set(CPACK_PACKAGE_VENDOR "infinite-hashes")
set(CPACK_PACKAGE_CONTACT "infinite-hashes maintainers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "SHA-256d mining agent for the InfiniteHash subnet (SN89)")
set(CPACK_PACKAGE_INSTALL_DIRECTORY infinite-hashes)
set(CPACK_GENERATOR DEB TGZ)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
# OpenCL devices are optional: the loader is linked, vendor drivers (ICDs) are up to the host.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ocl-icd-libopencl1")
include(CPack)
