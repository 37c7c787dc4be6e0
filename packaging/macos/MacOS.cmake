# macOS packaging: an app bundle (MACOSX_BUNDLE, set in app/gui/CMakeLists.txt with
# packaging/macos/Info.plist.in), Qt deployed into it with macdeployqt, a DragNDrop DMG.
# Written, not built or tested here (see packaging/README.md).

set(MACOSX_BUNDLE_GUI_IDENTIFIER "${GLS_APP_ID}")
set(MACOSX_BUNDLE_BUNDLE_NAME "GameLift Streams Exporter")
set(MACOSX_BUNDLE_BUNDLE_VERSION "${PROJECT_VERSION}")
set(MACOSX_BUNDLE_SHORT_VERSION_STRING "${PROJECT_VERSION}")
set(MACOSX_BUNDLE_COPYRIGHT "GameLift Streams Exporter project")
set(MACOSX_BUNDLE_ICON_FILE "gls-exporter.icns")
set_target_properties(gls-exporter PROPERTIES
    MACOSX_BUNDLE_GUI_IDENTIFIER "${GLS_APP_ID}"
    MACOSX_BUNDLE_BUNDLE_VERSION "${PROJECT_VERSION}"
    MACOSX_BUNDLE_SHORT_VERSION_STRING "${PROJECT_VERSION}")

# The icon: made from the SVG with iconutil when the tools are there (rsvg-convert + iconutil).
find_program(GLS_RSVG_CONVERT rsvg-convert)
find_program(GLS_ICONUTIL iconutil)
if(GLS_RSVG_CONVERT AND GLS_ICONUTIL)
    set(_iconset ${GLS_PACKAGING_OUT}/gls-exporter.iconset)
    set(_icns ${GLS_PACKAGING_OUT}/gls-exporter.icns)
    set(_cmds)
    foreach(size 16 32 128 256 512)
        math(EXPR size2 "${size} * 2")
        list(APPEND _cmds
            COMMAND ${GLS_RSVG_CONVERT} -w ${size} -h ${size} -o ${_iconset}/icon_${size}x${size}.png
                ${PROJECT_SOURCE_DIR}/resources/gls-exporter.svg
            COMMAND ${GLS_RSVG_CONVERT} -w ${size2} -h ${size2} -o ${_iconset}/icon_${size}x${size}@2x.png
                ${PROJECT_SOURCE_DIR}/resources/gls-exporter.svg)
    endforeach()
    add_custom_command(OUTPUT ${_icns}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${_iconset}
        ${_cmds}
        COMMAND ${GLS_ICONUTIL} -c icns -o ${_icns} ${_iconset}
        DEPENDS ${PROJECT_SOURCE_DIR}/resources/gls-exporter.svg VERBATIM)
    target_sources(gls-exporter PRIVATE ${_icns})
    set_source_files_properties(${_icns} PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
endif()

# The CLI and the emulator go inside the bundle, next to the app (the app's --demo looks for
# gls-emulator in its own folder).
install(TARGETS gls-exporter-cli RUNTIME DESTINATION "GameLift Streams Exporter.app/Contents/MacOS" COMPONENT app)

find_program(GLS_MACDEPLOYQT macdeployqt HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}" "${Qt6_DIR}/../../../bin")
if(GLS_MACDEPLOYQT)
    install(CODE "
        execute_process(COMMAND \"${GLS_MACDEPLOYQT}\"
                \"\${CMAKE_INSTALL_PREFIX}/GameLift Streams Exporter.app\" -always-overwrite
                \"-executable=\${CMAKE_INSTALL_PREFIX}/GameLift Streams Exporter.app/Contents/MacOS/gls-exporter-cli\"
            COMMAND_ERROR_IS_FATAL ANY)
        " COMPONENT app)
else()
    message(WARNING "macdeployqt not found: the bundle would not carry Qt")
endif()

set(CPACK_GENERATOR "DragNDrop")
set(CPACK_DMG_VOLUME_NAME "GameLift Streams Exporter ${PROJECT_VERSION}")
set(CPACK_DMG_FORMAT "UDZO")
set(CPACK_PACKAGE_FILE_NAME "gls-exporter-${PROJECT_VERSION}-macos")
# One DMG with the app only; the emulator is for development machines.
set(CPACK_COMPONENTS_ALL app)
