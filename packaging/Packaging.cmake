# Packaging: desktop integration files, the man page, bash completion and CPack.
# Included at the end of the top CMakeLists.txt. The executables' own install()
# rules live next to them (app/gui, app/cli, emulator), in two components:
#   app       gls-exporter, gls-exporter-cli and everything below
#   emulator  gls-emulator (its own package: users of the real service do not need it)
# The version is the project's (project(VERSION) in the top CMakeLists.txt).

include(GNUInstallDirs)

set(GLS_APP_ID "io.github.glsexporter.GlsExporter")
set(GLS_HOMEPAGE "https://github.com/glsexporter/gls-exporter")
set(GLS_MAINTAINER "GameLift Streams Exporter maintainers <gls-exporter@users.noreply.github.com>")
set(GLS_HOMEPAGE_RAW "https://raw.githubusercontent.com/glsexporter/gls-exporter/main")
set(GLS_SUMMARY "Export, follow and open Amazon GameLift Streams session files")
set(GLS_PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR})
set(GLS_PACKAGING_OUT ${CMAKE_BINARY_DIR}/packaging)

if(UNIX AND NOT APPLE)
    # Installed in /usr next to the system's libraries: no RUNPATH (qt_standard_project_setup sets
    # $ORIGIN ones, which Debian's policy does not want in packaged executables).
    set_target_properties(gls-exporter gls-exporter-cli gls-emulator PROPERTIES INSTALL_RPATH "")

    # --- Desktop file and AppStream metainfo -----------------------------------
    # The release date of this version, for the metainfo's <release>: from
    # packaging/releases.cmake (one line per version), so a rebuild is reproducible.
    include(${GLS_PACKAGING_DIR}/releases.cmake)
    if(NOT DEFINED GLS_RELEASE_DATE_${PROJECT_VERSION})
        message(FATAL_ERROR "packaging/releases.cmake has no date for version ${PROJECT_VERSION}")
    endif()
    set(GLS_RELEASE_DATE "${GLS_RELEASE_DATE_${PROJECT_VERSION}}")
    set(GLS_RELEASE_NOTES "${GLS_RELEASE_NOTES_${PROJECT_VERSION}}")
    configure_file(${GLS_PACKAGING_DIR}/linux/${GLS_APP_ID}.metainfo.xml.in
        ${GLS_PACKAGING_OUT}/${GLS_APP_ID}.metainfo.xml @ONLY)

    install(FILES ${GLS_PACKAGING_DIR}/linux/${GLS_APP_ID}.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT app)
    install(FILES ${GLS_PACKAGING_OUT}/${GLS_APP_ID}.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo COMPONENT app)

    # --- Icons: the scalable SVG, and PNGs rendered from it at build time -------
    set(GLS_ICON_SVG ${PROJECT_SOURCE_DIR}/resources/gls-exporter.svg)
    install(FILES ${GLS_ICON_SVG} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps
        RENAME ${GLS_APP_ID}.svg COMPONENT app)

    find_program(GLS_RSVG_CONVERT rsvg-convert)
    if(NOT GLS_RSVG_CONVERT)
        # No librsvg2-bin: a tiny renderer on Qt SVG, built here.
        find_package(Qt6 REQUIRED COMPONENTS Gui Svg)
        add_executable(gls-svg2png ${GLS_PACKAGING_DIR}/tools/svg2png.cpp)
        target_link_libraries(gls-svg2png PRIVATE Qt6::Gui Qt6::Svg)
        set_target_properties(gls-svg2png PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${GLS_PACKAGING_OUT}/tools)
    endif()
    set(GLS_ICON_PNGS)
    set(GLS_RENDER_DEPENDS ${GLS_ICON_SVG})
    if(NOT GLS_RSVG_CONVERT)
        list(APPEND GLS_RENDER_DEPENDS gls-svg2png)
    endif()
    foreach(size 16 24 32 48 64 128 256)
        set(png ${GLS_PACKAGING_OUT}/icons/${size}x${size}/${GLS_APP_ID}.png)
        if(GLS_RSVG_CONVERT)
            set(render ${GLS_RSVG_CONVERT} --width=${size} --height=${size} --keep-aspect-ratio
                --output=${png} ${GLS_ICON_SVG})
        else()
            set(render QT_QPA_PLATFORM=offscreen $<TARGET_FILE:gls-svg2png> ${GLS_ICON_SVG} ${size} ${png})
        endif()
        add_custom_command(OUTPUT ${png}
            COMMAND ${CMAKE_COMMAND} -E make_directory ${GLS_PACKAGING_OUT}/icons/${size}x${size}
            COMMAND ${CMAKE_COMMAND} -E env ${render}
            DEPENDS ${GLS_RENDER_DEPENDS}
            COMMENT "Rendering the ${size}x${size} icon"
            VERBATIM)
        list(APPEND GLS_ICON_PNGS ${png})
        install(FILES ${png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps
            COMPONENT app)
    endforeach()

    # --- Man page (compressed, as Debian wants) and bash completion -------------
    set(GLS_MAN_SRC ${GLS_PACKAGING_OUT}/gls-exporter-cli.1)
    configure_file(${GLS_PACKAGING_DIR}/linux/gls-exporter-cli.1.in ${GLS_MAN_SRC} @ONLY)
    find_program(GLS_GZIP gzip)
    if(GLS_GZIP)
        set(GLS_MAN_OUT ${GLS_PACKAGING_OUT}/gls-exporter-cli.1.gz)
        # -n: no name or time stamp in the header, so the package is reproducible.
        add_custom_command(OUTPUT ${GLS_MAN_OUT}
            COMMAND ${GLS_GZIP} -9 -n -c ${GLS_MAN_SRC} > ${GLS_MAN_OUT}
            DEPENDS ${GLS_MAN_SRC}
            COMMENT "Compressing the gls-exporter-cli man page")
    else()
        set(GLS_MAN_OUT ${GLS_MAN_SRC})
    endif()
    install(FILES ${GLS_MAN_OUT} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT app)
    install(FILES ${GLS_PACKAGING_DIR}/linux/gls-exporter-cli.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME gls-exporter-cli COMPONENT app)

    # Built with `all`, so `cmake --install` and cpack find them.
    add_custom_target(gls_packaging_files ALL DEPENDS ${GLS_ICON_PNGS} ${GLS_MAN_OUT})
endif()

if(WIN32)
    include(${GLS_PACKAGING_DIR}/windows/Windows.cmake)
elseif(APPLE)
    include(${GLS_PACKAGING_DIR}/macos/MacOS.cmake)
endif()

# --- CPack ----------------------------------------------------------------------
set(CPACK_PACKAGE_NAME "gls-exporter")
set(CPACK_PACKAGE_VENDOR "GameLift Streams Exporter project")
set(CPACK_PACKAGE_CONTACT "${GLS_MAINTAINER}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${GLS_SUMMARY}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${GLS_HOMEPAGE}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "GameLift Streams Exporter")
set(CPACK_PACKAGE_EXECUTABLES "gls-exporter" "GameLift Streams Exporter")
set(CPACK_STRIP_FILES ON)
set(CPACK_THREADS 0)
if(NOT DEFINED CPACK_PACKAGE_DIRECTORY)
    set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
endif()

set(CPACK_COMPONENTS_ALL app emulator)
set(CPACK_COMPONENT_APP_DISPLAY_NAME "GameLift Streams Exporter")
set(CPACK_COMPONENT_APP_DESCRIPTION "The desktop app (gls-exporter) and the command-line tool (gls-exporter-cli)")
set(CPACK_COMPONENT_APP_REQUIRED ON)
set(CPACK_COMPONENT_EMULATOR_DISPLAY_NAME "Local emulator (gls-emulator)")
set(CPACK_COMPONENT_EMULATOR_DESCRIPTION
    "A local Amazon GameLift Streams and S3 for trying the app without an AWS account (gls-exporter --demo)")
set(CPACK_COMPONENT_EMULATOR_DISABLED ON)

if(UNIX AND NOT APPLE)
    set(CPACK_GENERATOR "DEB;TGZ")
    # TGZ: one archive with both components, unpacked under gls-exporter-VERSION-Linux/.
    set(CPACK_ARCHIVE_COMPONENT_INSTALL OFF)
    set(CPACK_SET_DESTDIR OFF)
    set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
    set(CPACK_PACKAGE_FILE_NAME "gls-exporter-${PROJECT_VERSION}-Linux-${CMAKE_SYSTEM_PROCESSOR}")

    set(CPACK_DEB_COMPONENT_INSTALL ON)
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
    set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${GLS_MAINTAINER}")
    set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${GLS_HOMEPAGE}")
    set(CPACK_DEBIAN_PACKAGE_SECTION "utils")
    set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
    set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
    set(CPACK_PROJECT_CONFIG_FILE ${GLS_PACKAGING_DIR}/CPackProjectConfig.cmake)

    set(CPACK_DEBIAN_APP_PACKAGE_NAME "gls-exporter")
    set(CPACK_DEBIAN_APP_PACKAGE_SECTION "utils")
    # What dpkg-shlibdeps cannot see: plugins Qt loads at run time (the SQLite
    # driver of the export store, the X11/Wayland platform plugins, the SVG icon
    # engine), and a Secret Service for the keychain.
    set(CPACK_DEBIAN_APP_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6svg6, qt6-qpa-plugins")
    set(CPACK_DEBIAN_APP_PACKAGE_RECOMMENDS "gnome-keyring | keepassxc | org.freedesktop.secrets")
    set(CPACK_DEBIAN_APP_PACKAGE_SUGGESTS "gls-exporter-emulator, libsecret-tools")
    set(CPACK_DEBIAN_APP_DESCRIPTION
"${GLS_SUMMARY}
GameLift Streams Exporter helps QA testers and support staff who work with
Amazon GameLift Streams: it exports the files a stream session wrote (logs,
crash dumps, save files, screenshots, performance stats) to Amazon S3, follows
the export until the archive is written, downloads it and opens it.
.
This package carries the desktop app (gls-exporter) and the command-line tool
for terminals and scripts (gls-exporter-cli, with a man page and bash
completion). AWS credentials are kept in the desktop keychain (the Secret
Service), never in a file; the AWS shared config and credentials files are
read as well.")

    set(CPACK_DEBIAN_EMULATOR_PACKAGE_NAME "gls-exporter-emulator")
    set(CPACK_DEBIAN_EMULATOR_PACKAGE_SECTION "devel")
    set(CPACK_DEBIAN_EMULATOR_PACKAGE_ENHANCES "gls-exporter")
    set(CPACK_DEBIAN_EMULATOR_DESCRIPTION
"Local Amazon GameLift Streams and S3 emulator for GameLift Streams Exporter
gls-emulator serves the Amazon GameLift Streams, S3, STS and SSO portal APIs
over TLS on this machine, with demo stream groups, sessions and export
archives. It lets you try GameLift Streams Exporter without an AWS account
(gls-exporter --demo) and is what the project's tests run against.
.
It is not needed to use the real service.")
endif()

include(CPack)
