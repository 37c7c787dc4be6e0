# gls_add_test(NAME SOURCES ... LIBRARIES ... [LABELS ...] [TIMEOUT s] [ENVIRONMENT ...])
# One Qt Test executable per unit, registered with CTest under the same name.
function(gls_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBRARIES;LABELS;ENVIRONMENT" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBRARIES})
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
