# Windows packaging: NSIS installer through CPack, Qt deployed with windeployqt.
# Written, not built or tested here (see packaging/README.md).

find_program(GLS_WINDEPLOYQT windeployqt HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}" "${Qt6_DIR}/../../../bin")
if(NOT GLS_WINDEPLOYQT)
    message(WARNING "windeployqt not found: the installer would miss the Qt DLLs and plugins")
endif()

# Runs at install time (cmake --install, and CPack's staging install), on the installed executables, so
# the Qt DLLs, the platform, SQL driver, TLS and SVG plugins land next to them. The emulator's own
# component deploys for gls-emulator.
if(GLS_WINDEPLOYQT)
    install(CODE "
        set(_bin \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\")
        execute_process(COMMAND \"${GLS_WINDEPLOYQT}\" --release --no-translations --no-compiler-runtime
                \"\${_bin}/gls-exporter.exe\" \"\${_bin}/gls-exporter-cli.exe\"
            COMMAND_ERROR_IS_FATAL ANY)
        " COMPONENT app)
    install(CODE "
        execute_process(COMMAND \"${GLS_WINDEPLOYQT}\" --release --no-translations --no-compiler-runtime
                \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/gls-emulator.exe\"
            COMMAND_ERROR_IS_FATAL ANY)
        " COMPONENT emulator)
endif()
# The MSVC runtime DLLs.
set(CMAKE_INSTALL_SYSTEM_RUNTIME_COMPONENT app)
include(InstallRequiredSystemLibraries)

set(CPACK_GENERATOR "NSIS;ZIP")
set(CPACK_NSIS_COMPONENT_INSTALL ON)
set(CPACK_ARCHIVE_COMPONENT_INSTALL OFF)
set(CPACK_PACKAGE_FILE_NAME "gls-exporter-${PROJECT_VERSION}-win64")
set(CPACK_NSIS_PACKAGE_NAME "GameLift Streams Exporter ${PROJECT_VERSION}")
set(CPACK_NSIS_DISPLAY_NAME "GameLift Streams Exporter")
set(CPACK_NSIS_URL_INFO_ABOUT "${GLS_HOMEPAGE}")
set(CPACK_NSIS_HELP_LINK "${GLS_HOMEPAGE}")
set(CPACK_NSIS_CONTACT "${GLS_MAINTAINER}")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\gls-exporter.exe")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_MODIFY_PATH ON) # offers to put gls-exporter-cli on PATH
set(CPACK_NSIS_MENU_LINKS "bin/gls-exporter.exe" "GameLift Streams Exporter")
set(CPACK_NSIS_MUI_ICON "${GLS_PACKAGING_DIR}/windows/gls-exporter.ico")
set(CPACK_NSIS_MUI_UNIICON "${GLS_PACKAGING_DIR}/windows/gls-exporter.ico")
if(NOT EXISTS "${GLS_PACKAGING_DIR}/windows/gls-exporter.ico")
    # No .ico is committed yet: NSIS uses its default icon.
    unset(CPACK_NSIS_MUI_ICON)
    unset(CPACK_NSIS_MUI_UNIICON)
endif()
