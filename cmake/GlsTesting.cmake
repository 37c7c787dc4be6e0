# gls_test_code_flags(TARGET): the test code itself is compiled without
# optimisation. It spends its time waiting on sockets, timers and child
# processes, and the optimiser costs more than it saves there: a test file
# takes 8.6 s of CPU at -O2 and 5.7 s at -O0; with the sanitizers, 18.8 s at
# -O1 and 8.7 s at -O0. The code under test (core, ui, app, the emulator)
# keeps the build type's flags. The last -O on the command line wins.
function(gls_test_code_flags target)
    target_compile_options(${target} PRIVATE -O0)
endfunction()

# The tests share two precompiled headers (GlsPch.cmake), one for the tests
# without QtWidgets and one for those with it, each built once by a host
# target with the tests' own flags. gcc refuses a precompiled header when a
# macro it was built with is defined differently, or not at all, where it is
# used: so the host takes only QtCore's definitions, which every test has,
# and the other modules' include directories without theirs (QT_NETWORK_LIB,
# QT_WIDGETS_LIB).
function(gls_test_pch_host host)
    cmake_parse_arguments(ARG "WIDGETS" "" "" ${ARGN})
    file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/${host}.cpp
        CONTENT "// Builds the precompiled header the tests reuse (cmake/GlsTesting.cmake).\n")
    add_library(${host} OBJECT ${CMAKE_BINARY_DIR}/${host}.cpp)
    target_link_libraries(${host} PRIVATE Qt6::Core)
    set(modules Qt6::Network)
    set(headers ${GLS_PCH_CORE} ${GLS_PCH_NETWORK} ${GLS_PCH_TEST})
    if(ARG_WIDGETS)
        list(APPEND modules Qt6::Gui Qt6::Widgets)
        list(APPEND headers ${GLS_PCH_WIDGETS})
    endif()
    foreach(module ${modules})
        target_include_directories(${host} SYSTEM PRIVATE $<TARGET_PROPERTY:${module},INTERFACE_INCLUDE_DIRECTORIES>)
    endforeach()
    gls_test_code_flags(${host})
    target_precompile_headers(${host} PRIVATE ${headers})
endfunction()
gls_test_pch_host(gls_test_pch)
gls_test_pch_host(gls_test_pch_widgets WIDGETS)

# gls_add_test(NAME SOURCES ... LIBRARIES ... [LABELS ...] [TIMEOUT s] [ENVIRONMENT ...])
# One Qt Test executable per unit, registered with CTest under the same name.
function(gls_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBRARIES;LABELS;ENVIRONMENT" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBRARIES})
    gls_test_code_flags(${name})
    set(pch gls_test_pch)
    foreach(widgets gls_ui gls_gui Qt6::Widgets)
        if(widgets IN_LIST ARG_LIBRARIES)
            set(pch gls_test_pch_widgets)
        endif()
    endforeach()
    target_precompile_headers(${name} REUSE_FROM ${pch})
    # Its AUTOMOC file is empty (each test includes its own .moc): loading the
    # header would cost more than the file (1.8 s against 0.2).
    set_source_files_properties(${CMAKE_CURRENT_BINARY_DIR}/${name}_autogen/mocs_compilation.cpp
        PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    add_test(NAME ${name} COMMAND ${name})
    if(name IN_LIST GLS_SECURITY_TESTS)
        list(APPEND ARG_LABELS security)
    endif()
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    set_tests_properties(${name} PROPERTIES
        TIMEOUT ${ARG_TIMEOUT}
        LABELS "${ARG_LABELS}"
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;GLS_BIN_DIR=${CMAKE_BINARY_DIR}/bin;GLS_SOURCE_DIR=${CMAKE_SOURCE_DIR};${ARG_ENVIRONMENT}"
        SKIP_RETURN_CODE 77)
endfunction()
