# gls_test_code_flags(TARGET): the test code itself is compiled without
# optimisation. It spends its time waiting on sockets, timers and child
# processes, and the optimiser costs more than it saves there: a test file
# takes 8.6 s of CPU at -O2 and 5.7 s at -O0; with the sanitizers, 18.8 s at
# -O1 and 8.7 s at -O0. The code under test (core, ui, app, the emulator)
# keeps the build type's flags. The last -O on the command line wins.
function(gls_test_code_flags target)
    target_compile_options(${target} PRIVATE -O0)
endfunction()

# gls_add_test(NAME SOURCES ... LIBRARIES ... [LABELS ...] [TIMEOUT s] [ENVIRONMENT ...])
# One Qt Test executable per unit, registered with CTest under the same name.
function(gls_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBRARIES;LABELS;ENVIRONMENT" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBRARIES})
    gls_test_code_flags(${name})
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
