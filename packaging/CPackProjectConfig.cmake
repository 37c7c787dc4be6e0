# Read by cpack once per generator (CPACK_PROJECT_CONFIG_FILE in Packaging.cmake).
if(CPACK_GENERATOR STREQUAL "DEB")
    # CPackDeb puts the project-wide summary in front of every component's description unless it is
    # CMake's default one; each package's description starts with its own summary line instead.
    set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CPACK_DEFAULT_PACKAGE_DESCRIPTION_SUMMARY}")
endif()
